import { AsyncLocalStorage } from 'node:async_hooks';
import type { Redis } from 'ioredis';
import { guarded } from './connection.js';

/**
 * True while a replica applies to its own records a change that another replica made: the state
 * (counters) already holds that change's effects, so the usage steps it would take are skipped.
 */
export const replaying = new AsyncLocalStorage<boolean>();

/** A control-plane write to records, as every replica applies it. */
export interface Change {
  provider: string;
  kind: 'accounts' | 'users';
  op: 'add' | 'change' | 'remove' | 'generate';
  parent?: string;
  id?: string;
  input?: Record<string, unknown>;
}

export interface ChangeLogOptions {
  /** The list of changes (cleared by a reset) and the reset count (never cleared). */
  key: string;
  epochKey: string;
  /** The mock's time setting, read with the log's length at each catch-up. */
  timeKey: string;
  /** The faults (a hash), whose count is read at each catch-up too. */
  faultsKey: string;
  store: string;
  /** Applies one change to this replica's records; what it answers is the answer of the write. */
  apply(change: Change): Promise<unknown>;
  /** Back to the seeded records, when another replica reset the group. */
  resetRecords(): void;
  /** Takes the mock's time setting as Redis holds it (null: the start setting). */
  renewTime(setting: string | null): void;
  /** Takes how many faults are set in all, as Redis holds them now. */
  renewFaultCount(count: number): void;
}

/**
 * The control plane's record changes, in the order Redis received them, which every replica applies
 * to its own records. A write is appended first, then applied by its replica in log order with all
 * before it, so that every replica applies the same changes in the same order and generates the
 * same fields (from the same seed); before answering, a request catches up with the log.
 */
export class ChangeLog {
  private applied = 0;
  /** The group's reset count when last read (null: never reset); undefined before the first catch-up. */
  private epoch: string | null | undefined;
  /** The last catch-up or reset: they run one at a time, in order. */
  private tail: Promise<void> = Promise.resolve();
  /** A catch-up queued and not yet started, which callers arriving now may share. */
  private pending: Promise<void> | undefined;
  /** This replica's own writes waiting to be applied, by their place in the log. */
  private readonly own = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();

  constructor(
    private readonly redis: Redis,
    private readonly options: ChangeLogOptions,
  ) {}

  /** Appends a change and answers what applying it answers here (a 404, a 409: as every replica finds it). */
  async write(change: Change): Promise<unknown> {
    const length = await guarded(this.options.store, this.redis.rpush(this.options.key, JSON.stringify(change)));
    const answer = new Promise((resolve, reject) => this.own.set(length - 1, { resolve, reject }));
    // applied later, by a catch-up after this one failed, with no one left to answer
    answer.catch(() => undefined);
    await this.sync();
    return answer;
  }

  /**
   * Catches up with every change logged before this call. Callers share a catch-up that has not
   * started yet: it reads the log after they arrived.
   */
  sync(): Promise<void> {
    this.pending ??= this.exclusive(() => {
      this.pending = undefined;
      return this.catchUp();
    });
    return this.pending;
  }

  /** After this replica reset the group's state: its records back to the seeded ones, the log empty. */
  reset(): Promise<void> {
    return this.exclusive(async () => {
      this.options.resetRecords();
      this.applied = 0;
      this.epoch = String(await guarded(this.options.store, this.redis.incr(this.options.epochKey)));
    });
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.tail.catch(() => undefined).then(work);
    this.tail = run;
    return run;
  }

  private async catchUp(): Promise<void> {
    const { key, epochKey, timeKey, faultsKey, store } = this.options;
    const [[, epoch], [, length], [, time], [, faults]] = (await guarded(
      store,
      this.redis.multi().get(epochKey).llen(key).get(timeKey).hlen(faultsKey).exec().then((r) => r!),
    )) as [[unknown, string | null], [unknown, number], [unknown, string | null], [unknown, number]];
    this.options.renewTime(time);
    this.options.renewFaultCount(faults);
    if (this.epoch !== undefined && (epoch !== this.epoch || length < this.applied)) {
      this.options.resetRecords();
      this.applied = 0;
    }
    this.epoch = epoch;
    if (length <= this.applied) return;
    const entries = await guarded(store, this.redis.lrange(key, this.applied, length - 1));
    for (const entry of entries) {
      const index = this.applied++;
      const own = this.own.get(index);
      this.own.delete(index);
      const change = JSON.parse(entry) as Change;
      try {
        const answer = own ? await this.options.apply(change) : await replaying.run(true, () => this.options.apply(change));
        own?.resolve(answer);
      } catch (error) {
        own?.reject(error);
      }
    }
  }
}
