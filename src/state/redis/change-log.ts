import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StateUnavailable, guarded } from './connection.js';
import { SUPERSEDED } from './scripts.js';

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

type Script = (...args: (string | number)[]) => Promise<unknown>;

export interface ChangeLogOptions {
  /** The list of changes (cleared by a reset) and the shared state's identity (see scripts.ts, EPOCH). */
  key: string;
  epochKey: string;
  /** Each provider's last entry in the log, which a change of the same record may supersede (see scripts.ts, APPEND_CHANGE). */
  lastKey: string;
  /** The mock's time setting, read with the log at each catch-up. */
  timeKey: string;
  /** The faults' matchers (a hash), whose count is read at each catch-up too. */
  faultsKey: string;
  store: string;
  /** The latest instant (Redis's time, ms) at which a write sent now may still be appended. */
  deadline(): number;
  /** Applies one change to this replica's records; what it answers is the answer of the write. */
  apply(change: Change): Promise<unknown>;
  /** Back to the seeded records, when another replica reset the group or Redis lost the state. */
  resetRecords(): void;
  /** Takes the mock's time setting as Redis holds it (null: the start setting). */
  renewTime(setting: string | null): void;
  /** Takes how many faults are set in all, as Redis holds them now. */
  renewFaultCount(count: number): void;
}

interface Pending {
  /** The change as written: applied from here when a later change superseded it before this replica read it. */
  change: Change;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The control plane's record changes, in the order Redis received them, which every replica applies
 * to its own records. A write is appended first, then applied by its replica in log order with all
 * before it, so that every replica applies the same changes in the same order and generates the
 * same fields (from the same seed); before answering, a request catches up with the log.
 *
 * The log belongs to the state's identity (its epoch): a catch-up reads both in one script, and a
 * replica that finds another identity (a reset, or Redis restarted empty) drops every change it
 * applied and applies the log from its start, so that no replica serves from a log it did not read
 * from its start. A write of this replica that the log lost that way is answered 503, never left waiting.
 */
export class ChangeLog {
  private applied = 0;
  /** The identity of the log applied so far; '' while the state is empty. */
  private epoch = '';
  /** The last catch-up or reset: they run one at a time, in order. */
  private tail: Promise<void> = Promise.resolve();
  /** A catch-up queued and not yet started, which callers arriving now may share. */
  private pending: Promise<void> | undefined;
  /** This replica's own writes waiting to be applied, by identity and place in the log. */
  private readonly own = new Map<string, Pending>();
  /** Catch-ups and resets queued or under way. */
  private busy = 0;

  constructor(
    private readonly redis: Redis,
    private readonly options: ChangeLogOptions,
  ) {}

  private script(name: string, ...args: (string | number)[]): Promise<unknown> {
    return guarded(this.options.store, (this.redis as unknown as Record<string, Script>)[name]!.call(this.redis, ...args));
  }

  /** Appends a change and answers what applying it answers here (a 404, a 409: as every replica finds it). */
  async write(change: Change): Promise<unknown> {
    const { key, epochKey, lastKey, store } = this.options;
    const record = change.op === 'change' ? JSON.stringify([change.kind, change.parent ?? null, change.id ?? '']) : '';
    const fields = JSON.stringify(Object.keys(change.input ?? {}));
    const [epoch, place] = (await this.script(
      'mockAppendChange',
      epochKey,
      key,
      lastKey,
      randomUUID(),
      JSON.stringify(change),
      this.options.deadline(),
      change.provider,
      record,
      fields,
    )) as [string, number];
    if (place < 0) throw new StateUnavailable(store, new Error('Redis took the change after its caller had given up: it was not applied'));
    const id = `${epoch}\n${place}`;
    const answer = new Promise((resolve, reject) => this.own.set(id, { change, resolve, reject }));
    // settled by a later catch-up when this one fails, with no one left to answer
    answer.catch(() => undefined);
    await this.sync();
    // a catch-up begun after the append applied the change, or found its log gone
    this.own.get(id)?.reject(this.lost());
    this.own.delete(id);
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

  /** After this replica reset the group's state to the identity `epoch`: its records back to the seeded ones, the log empty. */
  reset(epoch: string): Promise<void> {
    return this.exclusive(async () => this.restart(epoch));
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    this.busy++;
    const run = this.tail.catch(() => undefined).then(work);
    this.tail = run;
    void run.then(
      () => this.busy--,
      () => this.busy--,
    );
    return run;
  }

  /** The identity and how many of its changes this replica applied; undefined while a catch-up is queued or under way. */
  position(): { epoch: string; applied: number } | undefined {
    return this.busy === 0 ? { epoch: this.epoch, applied: this.applied } : undefined;
  }

  /** Drops every change applied, for the log of another identity; this replica's writes to the old one are answered 503. */
  private restart(epoch: string): void {
    // with none applied, the records are the seeded ones already: a start makes no needless reset
    if (this.applied > 0) this.options.resetRecords();
    this.applied = 0;
    this.epoch = epoch;
    for (const [id, waiting] of this.own) {
      if (id.startsWith(`${epoch}\n`)) continue;
      this.own.delete(id);
      waiting.reject(this.lost());
    }
  }

  private lost(): StateUnavailable {
    return new StateUnavailable(this.options.store, new Error('the shared state was reset, or Redis restarted empty, before this change was applied: it was not applied'));
  }

  private async catchUp(): Promise<void> {
    const { key, epochKey, timeKey, faultsKey } = this.options;
    const [epoch, time, faults, ...entries] = (await this.script('mockCatchUp', epochKey, key, timeKey, faultsKey, this.epoch, this.applied)) as [
      string,
      string | null,
      number,
      ...string[],
    ];
    this.options.renewTime(time);
    this.options.renewFaultCount(faults);
    if (epoch !== this.epoch) this.restart(epoch);
    for (const entry of entries) {
      const id = `${epoch}\n${this.applied++}`;
      const own = this.own.get(id);
      this.own.delete(id);
      // superseded by a later change, which follows: only its writer applies it, for its answer
      if (entry === SUPERSEDED && !own) continue;
      const change = own ? own.change : (JSON.parse(entry) as Change);
      try {
        const answer = own ? await this.options.apply(change) : await replaying.run(true, () => this.options.apply(change));
        own?.resolve(answer);
      } catch (error) {
        own?.reject(error);
      }
    }
  }
}
