import type { Clock } from './state/clock.js';
import { FaultRegistry } from './state/faults.js';
import { Journal } from './state/journal.js';
import type { ProviderStore } from './provider.js';
import type { MockConfig } from './config.js';
import { providers } from './providers.js';

/** The mock's state: every provider's store, the faults and the journal. */
export interface MockRuntime {
  config: MockConfig;
  clock: Clock;
  stores: ReadonlyMap<string, ProviderStore>;
  /** The store of a provider the mock serves; throws for any other slug. */
  storeOf(slug: string): ProviderStore;
  faults: FaultRegistry;
  journal: Journal;
  /** Each provider's routes as declared (`/api/users/:userId`), for faults aimed at one route. */
  routes: Map<string, Set<string>>;
  /** Back to the seeded state: data, counters, rate-limit windows, faults and journal. */
  reset(): void;
}

export function createRuntime(config: MockConfig, clock: Clock): MockRuntime {
  const context = { seed: config.seed, users: config.users, clock };
  const stores = new Map(providers.map((provider) => [provider.slug, provider.createStore(context)]));
  const faults = new FaultRegistry(config.seed);
  const journal = new Journal(config.journalSize);
  return {
    config,
    clock,
    stores,
    storeOf(slug) {
      const store = stores.get(slug);
      if (!store) throw new Error(`no provider '${slug}'`);
      return store;
    },
    faults,
    journal,
    routes: new Map(providers.map((provider) => [provider.slug, new Set<string>()])),
    reset() {
      for (const store of stores.values()) store.reset();
      faults.reset();
      journal.clear();
    },
  };
}
