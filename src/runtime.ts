import type { Clock } from './state/clock.js';
import { MemoryState } from './state/memory.js';
import type { MockState } from './state/state.js';
import { type Step, andThen } from './state/step.js';
import type { ProviderStore } from './provider.js';
import type { MockConfig } from './config.js';
import { providers } from './providers.js';

/** The mock's data and state: every provider's store, and the state they and the control plane share. */
export interface MockRuntime {
  config: MockConfig;
  /** The mock's time: the clock it was built with, as the control plane moved or froze it. */
  clock: Clock;
  state: MockState;
  stores: ReadonlyMap<string, ProviderStore>;
  /** The store of a provider the mock serves; throws for any other slug. */
  storeOf(slug: string): ProviderStore;
  /** Each provider's routes as declared (`/api/users/:userId`), for faults aimed at one route. */
  routes: Map<string, Set<string>>;
  /** Back to the seeded state: data, counters, rate-limit windows, faults and journal. */
  reset(): Step<void>;
}

/** `clock` is the time beneath the mock's own, which the control plane moves and freezes on top of it. */
export function createRuntime(config: MockConfig, clock: Clock): MockRuntime {
  const startAt = config.clock === undefined ? undefined : Date.parse(config.clock);
  const state = new MemoryState(clock, { seed: config.seed, journalSize: config.journalSize, startAt });
  const context = { seed: config.seed, users: config.users, clock: state.clock, state, fixtures: config.fixtures };
  const stores = new Map<string, ProviderStore>(providers.map((provider) => [provider.slug, provider.createStore(context)]));
  return {
    config,
    clock: state.clock,
    state,
    stores,
    storeOf(slug) {
      const store = stores.get(slug);
      if (!store) throw new Error(`no provider '${slug}'`);
      return store;
    },
    routes: new Map(providers.map((provider) => [provider.slug, new Set<string>()])),
    reset() {
      return andThen(state.reset(), () => {
        for (const store of stores.values()) store.reset();
      });
    },
  };
}
