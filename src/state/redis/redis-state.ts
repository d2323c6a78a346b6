import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { ConfigError } from '../../config.js';
import { seededRandom } from '../../data/random.js';
import type { Clock } from '../clock.js';
import type { Fault, FaultAction, FaultSpec } from '../faults.js';
import { type JournalEntry, type JournalFilter, type RequestRecord, journalBody, journalHeaders } from '../journal.js';
import { type Period, periodStart } from '../period-counter.js';
import type { Admission, FaultState, Figures, JournalState, MockState, RateLimit, UsagePlan, UsageState } from '../state.js';
import { type Change, ChangeLog, replaying } from './change-log.js';
import { connect, describeStore, guarded } from './connection.js';
import { ADD_FAULT, CLEAR_FAULTS, JOIN, RECORD_REQUEST, TAKE_FAULT, USAGE_STEP } from './scripts.js';

const PERIODS: readonly Period[] = ['hour', 'day', 'month', 'forever'];

/** Draws passed to the fault script for faults with a probability; more such faults than this never apply. */
const FAULT_DRAWS = 8;

type Script = (...args: (string | number)[]) => Promise<unknown>;

/**
 * Keys under the prefix. Everything a reset clears is under `<prefix>:s:`; the group's settings
 * are not, so that a replica started after a reset is still checked against them.
 */
class Keys {
  readonly group: string;
  readonly seeded: string;
  readonly state: string;
  readonly faults: string;
  readonly faultIds: string;
  readonly journal: string;
  readonly journalIds: string;
  readonly changes: string;
  readonly epoch: string;

  constructor(readonly prefix: string) {
    this.group = `${prefix}:group`;
    this.state = `${prefix}:s:`;
    this.seeded = `${this.state}seeded`;
    this.faults = `${this.state}faults`;
    this.faultIds = `${this.state}fault-ids`;
    this.journal = `${this.state}journal`;
    this.journalIds = `${this.state}journal-ids`;
    this.changes = `${this.state}changes`;
    this.epoch = `${prefix}:resets`;
  }

  usage(scope: string, key: string): string {
    return `${this.state}usage:${scope}:${key}`;
  }

  window(scope: string, key: string): string {
    return `${this.state}window:${scope}:${key}`;
  }
}

/** The start of each period at `now`, as the seeded-periods hash keeps them. */
function periodStarts(now: number): string[] {
  return PERIODS.flatMap((period) => [period, String(periodStart(period, now))]);
}

/** Usage counters and rate-limit windows in Redis: each step is one script run. */
class RedisUsage implements UsageState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly clock: Clock,
    private readonly store: string,
  ) {}

  read(plan: UsagePlan, key: string, seeded: Figures): Promise<Figures> {
    return this.step('read', plan, key, seeded).then(([, figures]) => figures);
  }

  admit(plan: UsagePlan, key: string, seeded: Figures, rate?: RateLimit): Promise<Admission> {
    return this.step('admit', plan, key, seeded, undefined, rate).then(([answer, figures]) => {
      const [allowed, windowed, remaining, resetInMs] = answer as number[];
      return {
        allowed: allowed === 1,
        figures,
        rate: windowed === 1 && rate ? { allowed: allowed === 1, limit: rate.limit, remaining: remaining!, resetInMs: resetInMs! } : undefined,
      };
    });
  }

  set(plan: UsagePlan, key: string, seeded: Figures, values: Partial<Figures>): Promise<Figures> {
    // another replica's record change, applied here: that replica has already set the figures
    if (replaying.getStore()) return this.read(plan, key, seeded);
    return this.step('set', plan, key, seeded, values).then(([, figures]) => figures);
  }

  forget(plan: UsagePlan, key: string): Promise<void> {
    if (replaying.getStore()) return Promise.resolve();
    return guarded(this.store, this.redis.unlink(this.keys.usage(plan.scope, key))).then(() => undefined);
  }

  private step(
    mode: 'read' | 'admit' | 'set',
    plan: UsagePlan,
    key: string,
    seeded: Figures,
    values: Partial<Figures> = {},
    rate?: RateLimit,
  ): Promise<[number[], Figures]> {
    const now = this.clock();
    const names = Object.keys(plan.periods);
    const args: (string | number)[] = [mode, now, rate ? rate.limit : '', rate ? rate.windowMs : 0, names.length];
    for (const name of names) {
      const period = plan.periods[name]!;
      const value = values[name];
      args.push(name, String(periodStart(period, now)), period, seeded[name] ?? 0, value === undefined ? '' : value);
    }
    const script = (this.redis as unknown as Record<string, Script>).mockUsageStep!;
    const keys = [this.keys.usage(plan.scope, key), this.keys.seeded, this.keys.window(plan.scope, key)];
    return guarded(this.store, script.call(this.redis, ...keys, ...args) as Promise<number[]>).then((answer) => {
      const figures: Figures = {};
      names.forEach((name, i) => (figures[name] = answer[4 + i]!));
      return [answer, figures];
    });
  }
}

/** Faults in Redis, shared by every replica: a fault with `times` is used up by exactly that many calls in all. */
class RedisFaults implements FaultState {
  private random: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly seed: number,
    private readonly store: string,
  ) {
    this.random = seededRandom(seed);
  }

  private script(name: string, ...args: (string | number)[]): Promise<unknown> {
    return guarded(this.store, (this.redis as unknown as Record<string, Script>)[name]!.call(this.redis, ...args));
  }

  async add(spec: FaultSpec): Promise<Fault> {
    return JSON.parse((await this.script('mockAddFault', this.keys.faults, this.keys.faultIds, JSON.stringify(spec))) as string) as Fault;
  }

  async list(provider?: string): Promise<Fault[]> {
    const all = await guarded(this.store, this.redis.hgetall(this.keys.faults));
    return Object.values(all)
      .map((json) => JSON.parse(json) as Fault)
      .filter((fault) => provider === undefined || fault.provider === provider)
      .sort((a, b) => Number(a.id.slice(6)) - Number(b.id.slice(6)));
  }

  async remove(id: string): Promise<boolean> {
    return (await guarded(this.store, this.redis.hdel(this.keys.faults, id))) === 1;
  }

  async clear(provider?: string): Promise<number> {
    return (await this.script('mockClearFaults', this.keys.faults, ...(provider === undefined ? [] : [provider]))) as number;
  }

  async take(provider: string, route: () => string | undefined): Promise<FaultAction | undefined> {
    const draws = Array.from({ length: FAULT_DRAWS }, () => this.random());
    const json = await this.script('mockTakeFault', this.keys.faults, provider, route() ?? '', ...draws);
    if (typeof json !== 'string') return undefined;
    const fault = JSON.parse(json) as Fault;
    return { status: fault.status, message: fault.message, delayMs: fault.delayMs };
  }

  reset(): void {
    this.random = seededRandom(this.seed);
  }
}

/** The journal in Redis: the last `capacity` requests served by every replica, each naming its replica. */
class RedisJournal implements JournalState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    readonly capacity: number,
    private readonly replica: string,
    private readonly store: string,
  ) {}

  /** Settles when the entry is stored; a request whose entry cannot be stored is not refused for it. */
  recordRequest(request: RequestRecord): Promise<void> {
    if (this.capacity === 0) return Promise.resolve();
    const entry: Omit<JournalEntry, 'id'> = {
      time: new Date(request.time).toISOString(),
      provider: request.provider,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      query: request.query !== null && typeof request.query === 'object' ? (request.query as Record<string, unknown>) : {},
      headers: journalHeaders(request.headers),
      body: journalBody(request.body),
      status: request.status,
      durationMs: request.durationMs,
      replica: this.replica,
    };
    const script = (this.redis as unknown as Record<string, Script>).mockRecordRequest!;
    return script
      .call(this.redis, this.keys.journal, this.keys.journalIds, JSON.stringify(entry), this.capacity)
      .then(() => undefined, () => undefined);
  }

  async list(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    const all = (await guarded(this.store, this.redis.lrange(this.keys.journal, 0, -1))).map((json) => JSON.parse(json) as JournalEntry);
    const prefix = filter.path?.endsWith('*') ? filter.path.slice(0, -1) : undefined;
    const matching = all.filter(
      (entry) =>
        (filter.provider === undefined || entry.provider === filter.provider) &&
        (filter.path === undefined || (prefix !== undefined ? entry.path.startsWith(prefix) : entry.path === filter.path)),
    );
    return filter.limit === undefined ? matching : matching.slice(-filter.limit);
  }

  async clear(): Promise<void> {
    await guarded(this.store, this.redis.unlink(this.keys.journal));
  }
}

export interface RedisStateOptions {
  url: string;
  prefix: string;
  seed: number;
  users: number;
  journalSize: number;
  /** Names this replica in the journal; host name and process id when absent. */
  replica?: string;
}

/**
 * The mock's state in Redis, shared by every replica started with the same URL and prefix: usage
 * counters, rate-limit windows, faults and the journal. Records (accounts, users) stay in each
 * replica's stores, generated alike from the same seed.
 */
export class RedisState implements MockState {
  readonly usage: RedisUsage;
  readonly faults: RedisFaults;
  readonly journal: RedisJournal;
  /** The store as messages name it: `Redis at redis://host:port`. */
  readonly store: string;
  private readonly redis: Redis;
  private readonly keys: Keys;

  constructor(
    readonly clock: Clock,
    private readonly options: RedisStateOptions,
  ) {
    this.store = describeStore(options.url);
    this.redis = connect(options.url);
    // a client with no listener for its errors would end the process when Redis goes away
    this.redis.on('error', () => {});
    this.redis.defineCommand('mockUsageStep', { numberOfKeys: 3, lua: USAGE_STEP });
    this.redis.defineCommand('mockJoin', { numberOfKeys: 2, lua: JOIN });
    this.redis.defineCommand('mockAddFault', { numberOfKeys: 2, lua: ADD_FAULT });
    this.redis.defineCommand('mockTakeFault', { numberOfKeys: 1, lua: TAKE_FAULT });
    this.redis.defineCommand('mockClearFaults', { numberOfKeys: 1, lua: CLEAR_FAULTS });
    this.redis.defineCommand('mockRecordRequest', { numberOfKeys: 2, lua: RECORD_REQUEST });
    this.keys = new Keys(options.prefix);
    const replica = options.replica ?? `${hostname()}:${process.pid}`;
    this.usage = new RedisUsage(this.redis, this.keys, clock, this.store);
    this.faults = new RedisFaults(this.redis, this.keys, options.seed, this.store);
    this.journal = new RedisJournal(this.redis, this.keys, options.journalSize, replica, this.store);
  }

  /**
   * Connects and joins the group of replicas on this prefix, or starts it; refuses, naming the
   * setting, when the group was started with another seed or user count.
   */
  async open(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      this.redis.disconnect();
      throw new ConfigError(`cannot reach the shared state, ${this.store} (--state-url, MOCK_STATE_URL): ${(error as Error).message}`);
    }
    const [groupSeed, groupUsers] = await this.join();
    const { seed, users, prefix } = this.options;
    const differs = [
      groupSeed !== String(seed) && `--seed ${seed} (SEED), where the group has ${groupSeed}`,
      groupUsers !== String(users) && `--users ${users} (MOCK_USERS), where the group has ${groupUsers}`,
    ].filter(Boolean);
    if (differs.length > 0) {
      await this.close();
      throw new ConfigError(
        `this replica differs from the replicas sharing ${this.store} with prefix '${prefix}': ${differs.join('; ')}. Start it with the group's settings, or choose another --state-prefix`,
      );
    }
    // a Redis that comes back empty (it keeps nothing on disk) learns the group and its periods again
    this.redis.on('ready', () => void this.join().catch(() => undefined));
  }

  /** Joins the group, or starts it: answers its seed and user count. */
  private async join(): Promise<string[]> {
    const join = (this.redis as unknown as Record<string, Script>).mockJoin!;
    const { seed, users } = this.options;
    return (await join.call(this.redis, this.keys.group, this.keys.seeded, seed, users, ...periodStarts(this.clock()))) as string[];
  }

  /** The control plane's record changes, shared by the group: `apply` applies one to this replica's records. */
  changeLog(apply: (change: Change) => Promise<unknown>, resetRecords: () => void): ChangeLog {
    return new ChangeLog(this.redis, { key: this.keys.changes, epochKey: this.keys.epoch, store: this.store, apply, resetRecords });
  }

  /** Undefined when Redis answers; what is wrong otherwise. */
  async problem(): Promise<string | undefined> {
    try {
      await guarded(this.store, this.redis.ping());
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Every key under the prefix but the group's settings, and the periods seeded figures hold for start now. */
  async reset(): Promise<void> {
    const match = `${this.keys.state.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await guarded(this.store, this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000));
      if (keys.length > 0) await guarded(this.store, this.redis.unlink(...keys));
      cursor = next;
    } while (cursor !== '0');
    await guarded(this.store, this.redis.hset(this.keys.seeded, Object.fromEntries(PERIODS.map((p) => [p, String(periodStart(p, this.clock()))]))));
    this.faults.reset();
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
