import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { ConfigError } from '../../config.js';
import { seededRandom } from '../../data/draws.js';
import { type Clock, type ClockChange, type ClockView, ClockRangeError, LATEST } from '../clock.js';
import { type Fault, type FaultAction, type FaultCall, type FaultSpec, actionOf } from '../faults.js';
import {
  type JournalEntry,
  type JournalFilter,
  type JournalMatch,
  type JournalPage,
  type RequestRecord,
  type StoredEntry,
  entryMatches,
  pageOf,
  storedEntryOf,
  storedEntryShown,
} from '../journal.js';
import { type Period, periodStart } from '../period-counter.js';
import {
  type Admission,
  type BudgetSpend,
  type BudgetState,
  type CallView,
  type FaultState,
  type Figures,
  type JournalState,
  type MockState,
  type RateLimit,
  StaleView,
  type TimeState,
  type UsagePlan,
  type UsageState,
  type ViewState,
} from '../state.js';
import { type Change, ChangeLog, replaying } from './change-log.js';
import { randomUUID } from 'node:crypto';
import { COMMAND_TIMEOUT_MS, StateUnavailable, connect, describeStore, guarded } from './connection.js';
import { evictionProblem } from './eviction.js';
import {
  ADD_FAULT,
  APPEND_CHANGE,
  SPEND_BUDGETS,
  CATCH_UP,
  CHANGE_TIME,
  CLEAR_FAULTS,
  JOIN,
  RECORD_REQUEST,
  RECORD_REQUEST_CHECKED,
  RESET,
  STALE,
  TAKE_FAULT,
  USAGE_STEP,
  USAGE_STEP_CHECKED,
} from './scripts.js';

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
  readonly faultMatchers: string;
  readonly faultHits: string;
  readonly time: string;
  readonly journal: string;
  readonly journalIds: string;
  readonly changes: string;
  readonly lastChanges: string;
  /** The shared state's identity, renewed by a reset and whenever Redis lost it (scripts.ts, EPOCH). */
  readonly epoch: string;

  constructor(readonly prefix: string) {
    this.group = `${prefix}:group`;
    this.state = `${prefix}:s:`;
    this.seeded = `${this.state}seeded`;
    this.faults = `${this.state}faults`;
    this.faultIds = `${this.state}fault-ids`;
    this.faultHits = `${this.state}fault-hits`;
    this.faultMatchers = `${this.state}fault-matchers`;
    this.time = `${this.state}time`;
    this.journal = `${this.state}journal`;
    this.journalIds = `${this.state}journal-ids`;
    this.changes = `${this.state}changes`;
    this.lastChanges = `${this.state}last-changes`;
    this.epoch = `${prefix}:epoch`;
  }

  usage(scope: string, key: string): string {
    return `${this.state}usage:${scope}:${key}`;
  }

  budget(key: string): string {
    return `${this.state}budget:${key}`;
  }

  window(scope: string, key: string): string {
    return `${this.state}window:${scope}:${key}`;
  }

  /** The keys a step checked against a call's view reads first (scripts.ts, checkedAgainstView). */
  get view(): string[] {
    return [this.epoch, this.changes, this.time, this.faultMatchers];
  }
}

/** A call's view as the arguments of a checked script, in the order of `Keys.view`. */
function viewArguments(view: CallView): (string | number)[] {
  return [view.epoch, view.applied, view.time, view.faults];
}

/** The start of each period at `now`, as the seeded-periods hash keeps them. */
function periodStarts(now: number): string[] {
  return PERIODS.flatMap((period) => [period, String(periodStart(period, now))]);
}

/** Usage counters and rate-limit windows in Redis: each step is one script run. */
class RedisUsage implements UsageState {
  /** The view the next step that counts or sets is checked against (RedisViews.checking); taken by that step. */
  view: CallView | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly clock: Clock,
    private readonly store: string,
    private readonly deadline: () => number,
    /** The time setting this replica's clock reads under (RedisTime.setting). */
    private readonly setting: () => string,
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
    args.push(this.setting());
    // a read writes nothing, so may run late; a step that counts must not once its caller answered 503
    args.push(mode === 'read' ? '' : this.deadline());
    const keys = [this.keys.usage(plan.scope, key), this.keys.seeded, this.keys.window(plan.scope, key)];
    const view = mode === 'read' ? undefined : this.view;
    if (view) {
      this.view = undefined;
      keys.push(...this.keys.view);
      args.push(...viewArguments(view));
    }
    const script = (this.redis as unknown as Record<string, Script>)[view ? 'mockUsageStepChecked' : 'mockUsageStep']!;
    return guarded(this.store, script.call(this.redis, ...keys, ...args) as Promise<number[] | typeof STALE | null>).then((answer) => {
      if (answer === STALE) throw new StaleView();
      if (!answer) throw new StateUnavailable(this.store, new Error('Redis took the step after its caller had given up: it was not counted'));
      const figures: Figures = {};
      names.forEach((name, i) => (figures[name] = answer[4 + i]!));
      return [answer, figures];
    });
  }
}

/**
 * Faults in Redis, shared by every replica: a fault with `times` is used up by exactly that many
 * calls in all, and each step of a sequence is taken by exactly one call, whatever replica serves it.
 */
class RedisFaults implements FaultState {
  private random: () => number;
  /**
   * How many faults were set at this replica's last catch-up, which every provider request makes
   * first: with none, a call needs no fault lookup, one round trip to Redis of the four an answer
   * made. Measured on one replica on Redis (Plaspy get, 5 connections, under `--cpu-prof`): 2,200
   * answers a second before, 6,200 after, scripts run per answer 3 before, 2 after (Redis's `INFO
   * commandstats`). Unknown (undefined) until the first catch-up.
   */
  private knownCount: number | undefined;

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
    const { provider, method, route, credential, probability, times, sequence, repeat } = spec;
    const matcher = { provider, method, route, credential, probability, times, steps: sequence?.length, repeat };
    const id = (await this.script('mockAddFault', this.keys.faults, this.keys.faultMatchers, this.keys.faultIds, JSON.stringify(spec), JSON.stringify(matcher))) as string;
    return { ...spec, id, hits: 0 };
  }

  async list(provider?: string): Promise<Fault[]> {
    const [[, all], [, hits]] = (await guarded(
      this.store,
      this.redis.multi().hgetall(this.keys.faults).hgetall(this.keys.faultHits).exec().then((replies) => replies!),
    )) as [[unknown, Record<string, string>], [unknown, Record<string, string>]];
    return Object.values(all)
      .map((json) => JSON.parse(json) as Fault)
      .filter((fault) => provider === undefined || fault.provider === provider)
      .map((fault) => ({ ...fault, hits: Number(hits[fault.id] ?? 0) }))
      .sort((a, b) => Number(a.id.slice(6)) - Number(b.id.slice(6)));
  }

  async remove(id: string): Promise<boolean> {
    const [[, removed]] = (await guarded(
      this.store,
      this.redis.multi().hdel(this.keys.faults, id).hdel(this.keys.faultHits, id).hdel(this.keys.faultMatchers, id).exec().then((replies) => replies!),
    )) as [[unknown, number]];
    return removed === 1;
  }

  async clear(provider?: string): Promise<number> {
    return (await this.script('mockClearFaults', this.keys.faults, this.keys.faultHits, this.keys.faultMatchers, ...(provider === undefined ? [] : [provider]))) as number;
  }

  /**
   * One script: the call's route and credential are read, and sent, only when the script finds a
   * fault that asks for them (it then answers before writing anything, and is run again with them).
   */
  /** The count of faults set, as the request's catch-up read it. */
  renewCount(count: number): void {
    this.knownCount = count;
  }

  /** How many faults were set at the last catch-up; undefined before the first. */
  get count(): number | undefined {
    return this.knownCount;
  }

  async take(provider: string, call: FaultCall): Promise<FaultAction | undefined> {
    if (this.knownCount === 0) return undefined;
    const draws = Array.from({ length: FAULT_DRAWS }, () => this.random());
    const run = (read: string) =>
      this.script('mockTakeFault', this.keys.faults, this.keys.faultHits, this.keys.faultMatchers, provider, call.method, read, ...draws);
    let answer = await run('');
    if (answer === 'route?') answer = await run(JSON.stringify({ route: call.route(), credential: call.credential() }));
    if (!Array.isArray(answer)) return undefined;
    const [json, hits] = answer as [string, number];
    return actionOf(JSON.parse(json) as Fault, hits);
  }

  reset(): void {
    this.random = seededRandom(this.seed);
  }
}

/**
 * The mock's time in Redis, shared by every replica: its setting (an offset from the clock beneath,
 * or a frozen instant) is one key, changed by one script; each replica keeps a copy, so that its
 * clock answers at once, renewed when it reads or changes the time and at each request's catch-up.
 */
class RedisTime implements TimeState {
  /** This replica's copy of the setting: the instant the time is frozen at, or its offset from the clock beneath. */
  private frozenAt: number | undefined;
  private offsetMs = 0;
  /** The setting as Redis holds it, '' for none (the start setting): what a call's view compares. */
  setting = '';

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly base: Clock,
    /** The setting at start and after a reset: `offset:0` (real time), or `frozen:<ms>` at `--clock`'s instant. */
    private readonly start: string,
    private readonly store: string,
  ) {
    this.renew(null);
  }

  /** The mock's time now, from this replica's copy of the setting. */
  readonly now: Clock = () => this.frozenAt ?? this.base() + this.offsetMs;

  /** Takes the setting as Redis holds it, `offset:<ms>` or `frozen:<ms>` (null: the start setting). */
  renew(setting: string | null): void {
    this.setting = setting ?? '';
    const text = setting ?? this.start;
    const value = Number(text.slice(text.indexOf(':') + 1));
    this.frozenAt = text.startsWith('frozen:') ? value : undefined;
    this.offsetMs = this.frozenAt === undefined ? value : 0;
  }

  async read(): Promise<ClockView> {
    this.renew(await guarded(this.store, this.redis.get(this.keys.time)));
    return this.view();
  }

  async change({ set, advanceMs = 0, freeze }: ClockChange): Promise<ClockView> {
    const script = (this.redis as unknown as Record<string, Script>).mockChangeTime!;
    const args = [this.base(), set ?? '', advanceMs, freeze === undefined ? '' : freeze ? '1' : '0', LATEST, this.start];
    const setting = (await guarded(this.store, script.call(this.redis, this.keys.time, ...args))) as string | null;
    if (typeof setting !== 'string') throw new ClockRangeError();
    this.renew(setting);
    return this.view();
  }

  private view(): ClockView {
    const base = this.base();
    const now = this.now();
    return { now, offsetMs: now - base, frozen: this.frozenAt !== undefined };
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

  /**
   * Settles when the entry is stored; a request whose entry cannot be stored is not refused for it,
   * unless it was answered on a view, which then cannot be checked: 'stale', to be answered again.
   */
  recordRequest(request: RequestRecord, view?: CallView): Promise<void | typeof STALE> {
    if (this.capacity === 0) return Promise.resolve();
    const entry: StoredEntry = { ...storedEntryOf(request), replica: this.replica };
    const scripts = this.redis as unknown as Record<string, Script>;
    const keys = [this.keys.journal, this.keys.journalIds];
    const args = [JSON.stringify(entry), this.capacity];
    if (!view) return scripts.mockRecordRequest!.call(this.redis, ...keys, ...args).then(() => undefined, () => undefined);
    return scripts.mockRecordRequestChecked!.call(this.redis, ...keys, ...this.keys.view, ...args, ...viewArguments(view)).then(
      (answer) => (answer === STALE ? STALE : undefined),
      () => STALE,
    );
  }

  async list(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return (await this.page(filter)).requests;
  }

  async page(filter: JournalFilter = {}): Promise<JournalPage> {
    return pageOf(await this.entries(), filter);
  }

  async count(match: JournalMatch = {}): Promise<number> {
    return (await this.entries()).filter((entry) => entryMatches(entry, match)).length;
  }

  /** Every entry, oldest first. */
  private async entries(): Promise<JournalEntry[]> {
    return (await guarded(this.store, this.redis.lrange(this.keys.journal, 0, -1))).map((json) => storedEntryShown(JSON.parse(json) as StoredEntry & { id: number }));
  }

  async clear(): Promise<void> {
    await guarded(this.store, this.redis.unlink(this.keys.journal));
  }
}

/** Creation budgets in Redis: the control plane's limits hold for the group, not per replica. */
class RedisBudgets implements BudgetState {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly store: string,
  ) {}

  async spend(spends: readonly BudgetSpend[]): Promise<{ key: string; spent: number } | undefined> {
    const script = (this.redis as unknown as Record<string, Script>).mockSpendBudgets!;
    const keys = spends.map((spend) => this.keys.budget(spend.key));
    const args = spends.flatMap((spend) => [spend.count, spend.limit]);
    const refused = (await guarded(this.store, script.call(this.redis, keys.length, ...keys, ...args))) as [number, number] | null;
    return refused ? { key: spends[refused[0] - 1]!.key, spent: refused[1] } : undefined;
  }

  async refund(spends: readonly BudgetSpend[]): Promise<void> {
    const multi = this.redis.multi();
    for (const spend of spends) multi.decrby(this.keys.budget(spend.key), spend.count);
    await guarded(this.store, multi.exec());
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
  /** The instant at which the mock's time starts, frozen (and where a reset brings it back); real time when absent. */
  startAt?: number;
  /** Starts on a Redis that evicts keys when full, with a warning, instead of refusing to. */
  allowEviction?: boolean;
}

/**
 * How long before a command's timeout its step may still be taken: the answer must reach this
 * replica before the timeout, or the step is taken while the caller hears 503.
 */
const DEADLINE_MARGIN_MS = 250;

/**
 * The mock's state in Redis, shared by every replica started with the same URL and prefix: the
 * mock's time, usage counters, rate-limit windows, faults and the journal. Records (accounts, users) stay in each
 * replica's stores, generated alike from the same seed.
 */
export class RedisState implements MockState {
  /** The mock's time, from this replica's copy of the shared setting. */
  readonly clock: Clock;
  readonly time: RedisTime;
  readonly usage: RedisUsage;
  readonly faults: RedisFaults;
  readonly journal: RedisJournal;
  readonly budgets: RedisBudgets;
  readonly views: ViewState;
  /** The store as messages name it: `Redis at redis://host:port`. */
  readonly store: string;
  /** What was said at start that the operator should know (an evicting policy allowed). */
  readonly warnings: string[] = [];
  private readonly redis: Redis;
  private readonly keys: Keys;
  private log: ChangeLog | undefined;
  /** Redis's clock minus this process's, measured when connected: deadlines are given in Redis's time. */
  private redisAheadMs = 0;

  /** `base` is the clock beneath the mock's time, which the shared setting moves or freezes. */
  constructor(
    base: Clock,
    private readonly options: RedisStateOptions,
  ) {
    this.store = describeStore(options.url);
    this.redis = connect(options.url);
    // a client with no listener for its errors would end the process when Redis goes away
    this.redis.on('error', () => {});
    this.redis.defineCommand('mockUsageStep', { numberOfKeys: 3, lua: USAGE_STEP });
    this.redis.defineCommand('mockJoin', { numberOfKeys: 2, lua: JOIN });
    this.redis.defineCommand('mockAddFault', { numberOfKeys: 3, lua: ADD_FAULT });
    this.redis.defineCommand('mockTakeFault', { numberOfKeys: 3, lua: TAKE_FAULT });
    this.redis.defineCommand('mockClearFaults', { numberOfKeys: 3, lua: CLEAR_FAULTS });
    this.redis.defineCommand('mockChangeTime', { numberOfKeys: 1, lua: CHANGE_TIME });
    this.redis.defineCommand('mockRecordRequest', { numberOfKeys: 2, lua: RECORD_REQUEST });
    this.redis.defineCommand('mockUsageStepChecked', { numberOfKeys: 3 + 4, lua: USAGE_STEP_CHECKED });
    this.redis.defineCommand('mockRecordRequestChecked', { numberOfKeys: 2 + 4, lua: RECORD_REQUEST_CHECKED });
    this.redis.defineCommand('mockCatchUp', { numberOfKeys: 4, lua: CATCH_UP });
    this.redis.defineCommand('mockAppendChange', { numberOfKeys: 3, lua: APPEND_CHANGE });
    // the number of keys first: the keys a reset clears are listed where it runs
    this.redis.defineCommand('mockReset', { lua: RESET });
    this.redis.defineCommand('mockSpendBudgets', { lua: SPEND_BUDGETS });
    this.keys = new Keys(options.prefix);
    const replica = options.replica ?? `${hostname()}:${process.pid}`;
    const start = options.startAt === undefined ? 'offset:0' : `frozen:${options.startAt}`;
    this.time = new RedisTime(this.redis, this.keys, base, start, this.store);
    this.clock = this.time.now;
    this.usage = new RedisUsage(this.redis, this.keys, this.clock, this.store, this.deadline, () => this.time.setting);
    this.faults = new RedisFaults(this.redis, this.keys, options.seed, this.store);
    this.journal = new RedisJournal(this.redis, this.keys, options.journalSize, replica, this.store);
    this.budgets = new RedisBudgets(this.redis, this.keys, this.store);
    this.views = {
      current: () => this.currentView(),
      checking: (view, take) => {
        this.usage.view = view;
        try {
          const step = take();
          return { step, checked: this.usage.view === undefined };
        } finally {
          this.usage.view = undefined;
        }
      },
    };
  }

  /**
   * What this replica knows now, when a call may be answered on it: the change log read and applied
   * with none under way, no fault set as the last catch-up read (none read yet: unknown, no view; a
   * call takes faults after catching up) and a journal kept
   * (the entry's script is where a call without a usage step is checked).
   */
  private currentView(): CallView | undefined {
    const position = this.log?.position();
    if (!position || this.faults.count !== 0 || this.journal.capacity === 0) return undefined;
    return { epoch: position.epoch, applied: position.applied, time: this.time.setting, faults: 0 };
  }

  /** The latest instant, in Redis's time, at which a step sent now may still be taken. */
  private readonly deadline = (): number => Date.now() + this.redisAheadMs + COMMAND_TIMEOUT_MS - DEADLINE_MARGIN_MS;

  /**
   * Connects and joins the group of replicas on this prefix, or starts it; refuses, naming the
   * setting, when the group was started with another seed or user count, or when Redis would evict
   * keys once full (unless allowed: then it warns).
   */
  async open(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      this.redis.disconnect();
      throw new ConfigError(`cannot reach the shared state, ${this.store} (--state-url, MOCK_STATE_URL): ${(error as Error).message}`);
    }
    const eviction = evictionProblem(await this.redis.info('memory'), this.store);
    if (eviction !== undefined) {
      if (!this.options.allowEviction) {
        await this.close();
        throw new ConfigError(`${eviction}. Set maxmemory-policy noeviction, or start with --state-allow-eviction (MOCK_STATE_ALLOW_EVICTION=true) to accept the loss`, 2);
      }
      this.warnings.push(`${eviction}; started anyway (--state-allow-eviction)`);
    }
    await this.measureRedisClock();
    // the group's time first: the periods a new group's seeded figures hold for are the mock's
    await this.time.read();
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
    this.redis.on('ready', () => void Promise.all([this.join(), this.measureRedisClock()]).catch(() => undefined));
  }

  /** Measures how far Redis's clock is ahead of this process's, from the middle of a round trip. */
  private async measureRedisClock(): Promise<void> {
    const sent = Date.now();
    const [seconds, micros] = await this.redis.time();
    const received = Date.now();
    this.redisAheadMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - (sent + received) / 2;
  }

  /** Joins the group, or starts it: answers its seed and user count. */
  private async join(): Promise<string[]> {
    const join = (this.redis as unknown as Record<string, Script>).mockJoin!;
    const { seed, users } = this.options;
    return (await join.call(this.redis, this.keys.group, this.keys.seeded, seed, users, ...periodStarts(this.clock()))) as string[];
  }

  /** The control plane's record changes, shared by the group: `apply` applies one to this replica's records. */
  changeLog(apply: (change: Change) => Promise<unknown>, resetRecords: () => void): ChangeLog {
    this.log = new ChangeLog(this.redis, {
      key: this.keys.changes,
      epochKey: this.keys.epoch,
      lastKey: this.keys.lastChanges,
      timeKey: this.keys.time,
      faultsKey: this.keys.faultMatchers,
      store: this.store,
      deadline: this.deadline,
      apply,
      resetRecords,
      renewTime: (setting) => this.time.renew(setting),
      renewFaultCount: (count) => this.faults.renewCount(count),
    });
    return this.log;
  }

  /**
   * Undefined when Redis takes writes; what is wrong otherwise: unreachable, or refusing to write
   * (full with noeviction, a read-only replica, a failed save). A small write is the test.
   */
  async problem(): Promise<string | undefined> {
    try {
      await guarded(this.store, this.redis.set(`${this.keys.prefix}:health`, String(Date.now()), 'PX', 60_000));
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /**
   * Back to the start: in one script, the change log, faults, journal and time setting cleared and
   * a new identity (every replica then drops the records it applied); then each key's counters,
   * rate-limit windows and creation budgets. The group's settings stay.
   */
  async reset(): Promise<void> {
    const k = this.keys;
    const cleared = [k.changes, k.lastChanges, k.journal, k.journalIds, k.faults, k.faultMatchers, k.faultIds, k.faultHits, k.time];
    const reset = (this.redis as unknown as Record<string, Script>).mockReset!;
    const epoch = randomUUID();
    await guarded(this.store, reset.call(this.redis, 2 + cleared.length, k.epoch, k.seeded, ...cleared, epoch, ...periodStarts(this.clock())));
    this.time.renew(null);
    this.faults.reset();
    await this.log?.reset(epoch);
    const match = `${this.keys.state.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await guarded(this.store, this.redis.scan(cursor, 'MATCH', match, 'COUNT', 1000));
      const counters = keys.filter((key) => /^(usage|window|budget):/.test(key.slice(k.state.length)));
      if (counters.length > 0) await guarded(this.store, this.redis.unlink(...counters));
      cursor = next;
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
