import type { Clock } from './state/clock.js';
import { MemoryState } from './state/memory.js';
import { RedisState } from './state/redis/redis-state.js';
import type { Change } from './state/redis/change-log.js';
import { applyChange } from './control/changes.js';
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
  /** Ready to serve: connected to the shared state, when there is one. */
  open(): Promise<void>;
  /** Undefined while the state can be used; what is wrong when it cannot (Redis away). */
  stateProblem(): Promise<string | undefined>;
  close(): Promise<void>;
  /**
   * A control-plane write to records: applied here at once, or, with a shared state, logged and
   * applied by every replica in the log's order (what applying it here answers is the answer).
   */
  writeRecords(change: Change, local: () => Step<unknown>): Step<unknown>;
  /** What the operator should know from the start (a shared state that may evict keys). */
  warnings: readonly string[];
  /** With a shared state: catches up with the record changes of the other replicas. */
  sync?: () => Promise<void>;
}

/** `clock` is the time beneath the mock's own, which the control plane moves and freezes on top of it. */
export function createRuntime(config: MockConfig, clock: Clock): MockRuntime {
  const { seed, users, journalSize } = config;
  const startAt = config.clock === undefined ? undefined : Date.parse(config.clock);
  const shared =
    config.stateUrl === undefined
      ? undefined
      : new RedisState(clock, {
          url: config.stateUrl,
          prefix: config.statePrefix,
          seed,
          users,
          journalSize,
          replica: config.replicaId,
          startAt,
          allowEviction: config.stateAllowEviction,
        });
  const state: MockState = shared ?? new MemoryState(clock, { seed, journalSize, startAt });
  const context = { seed, users, clock: state.clock, state, fixtures: config.fixtures };
  const stores = new Map<string, ProviderStore>(providers.map((provider) => [provider.slug, provider.createStore(context)]));
  const resetRecords = () => {
    for (const store of stores.values()) store.reset();
  };
  const changes = shared?.changeLog((change) => applyChange(change, providers, stores), resetRecords);
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
      // a shared state's reset drops the records every replica applied, this one's too
      return andThen(state.reset(), () => (changes ? undefined : resetRecords()));
    },
    async open() {
      await shared?.open();
      // a replica started later applies every earlier change before it serves
      await changes?.sync();
    },
    stateProblem: async () => shared?.problem(),
    warnings: shared?.warnings ?? [],
    close: async () => shared?.close(),
    writeRecords: (change, local) => (changes ? changes.write(change) : local()),
    sync: changes && (() => changes.sync()),
  };
}
