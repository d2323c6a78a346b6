import type { Clock, ClockChange, ClockView } from './clock.js';
import type { Fault, FaultAction, FaultCall, FaultSpec } from './faults.js';
import type { JournalEntry, JournalFilter, JournalMatch, JournalPage, RequestRecord } from './journal.js';
import type { Period } from './period-counter.js';
import type { Step } from './step.js';

/** A provider's usage counters for one key: each counter's name and the period after which it starts again. */
export interface UsagePlan {
  /** Keeps one provider's keys apart from another's: the provider's slug, or slug/kind. */
  scope: string;
  periods: Readonly<Record<string, Period>>;
}

/** Counter values by name. */
export type Figures = Record<string, number>;

export interface RateLimit {
  limit: number;
  windowMs: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the key's window ends. */
  resetInMs: number;
}

export interface Admission {
  /** False when the rate limit refused the call: then nothing was counted. */
  allowed: boolean;
  /** The key's figures right after this call was counted (or as they stand, when refused). */
  figures: Figures;
  /** The key's rate-limit window, when the call was subject to one. */
  rate?: RateDecision;
}

/**
 * Usage counters and rate-limit windows. A key's counters start from its seeded figures, which
 * hold for the periods in force at the last reset (a period begun since starts from zero), and
 * are created only when a call is counted or a figure is set: idle keys cost nothing.
 */
export interface UsageState {
  /** The key's figures now. */
  read(plan: UsagePlan, key: string, seeded: Figures): Step<Figures>;
  /** Admits one call within the key's rate limit, when one is given, and counts it: one step, so that concurrent calls each see their own figures. */
  admit(plan: UsagePlan, key: string, seeded: Figures, rate?: RateLimit): Step<Admission>;
  /** Sets some of the key's counters now, the others counting on from their seeded figures; answers all of them. */
  set(plan: UsagePlan, key: string, seeded: Figures, values: Partial<Figures>): Step<Figures>;
  /** Drops the key's counters: its figures are the seeded ones again (its rate-limit window stays). */
  forget(plan: UsagePlan, key: string): Step<void>;
}

/**
 * Faults set through the control plane; a fault with `times` is used up by exactly that many
 * calls, and each step of a sequence is taken by exactly one call.
 */
export interface FaultState {
  add(spec: FaultSpec): Step<Fault>;
  list(provider?: string): Step<Fault[]>;
  remove(id: string): Step<boolean>;
  clear(provider?: string): Step<number>;
  /**
   * The next step of the first fault that applies to this call (its action; `{}` for a step that
   * passes), counted as used, in one step; undefined when none applies. The call's route and
   * credential are asked for only when a fault may need them: reading them costs.
   */
  take(provider: string, call: FaultCall): Step<FaultAction | undefined>;
}

/** The mock's time, moved and frozen through the control plane. */
export interface TimeState {
  read(): Step<ClockView>;
  /** Sets, advances, freezes or lets the time run, as one step; answers the time after the change. */
  change(change: ClockChange): Step<ClockView>;
}

export interface JournalState {
  readonly capacity: number;
  /**
   * Stores the entry. With `view` (a shared state only), first checks that the state has not moved
   * since the call's view: when it has, stores nothing and answers 'stale'; when it cannot tell
   * (Redis away), answers 'stale' too, so that the call is answered again after a catch-up.
   */
  recordRequest(request: RequestRecord, view?: CallView): Step<void | 'stale'>;
  list(filter?: JournalFilter): Step<JournalEntry[]>;
  /** The last `limit` entries that match, and how many matched in all, read together. */
  page(filter?: JournalFilter): Step<JournalPage>;
  /** How many entries match; a credential is matched by its identity, as entries keep it. */
  count(match?: JournalMatch): Step<number>;
  clear(): Step<void>;
}

/** One budget a control-plane addition spends: its key, how much, and its limit. */
export interface BudgetSpend {
  key: string;
  count: number;
  limit: number;
}

/**
 * What the control plane may still add, kept where every replica spends it (a shared state only;
 * in memory the control plane keeps its own): all of a request's budgets spent in one step, or none.
 */
export interface BudgetState {
  /** Spends every budget, or none when one would pass its limit: then answers that one's key and what was spent of it. */
  spend(spends: readonly BudgetSpend[]): Step<{ key: string; spent: number } | undefined>;
  /** Gives back what an addition that did not happen spent. */
  refund(spends: readonly BudgetSpend[]): Step<void>;
}

/**
 * What a replica knew of a shared state when a call arrived: the state's identity, how many record
 * changes of its log the replica had applied, the time setting and how many faults were set. A call
 * answered on this view, without catching up first, has its first step on the shared state checked
 * against it (http/optimistic-calls.ts).
 */
export interface CallView {
  readonly epoch: string;
  readonly applied: number;
  /** The time setting as the shared state holds it ('' for the start setting). */
  readonly time: string;
  readonly faults: number;
}

/** A step checked against a call's view found the shared state moved since: nothing was written. */
export class StaleView extends Error {
  constructor() {
    super('the shared state moved since the call arrived');
    this.name = 'StaleView';
  }
}

/** A shared state's views, for calls answered on what the replica already knows. */
export interface ViewState {
  /** What this replica knows of the shared state now; undefined when a call must catch up first. */
  current(): CallView | undefined;
  /**
   * Runs `take` with the first usage step it makes at once (one that counts or sets) checked
   * against `view`: that step fails with StaleView, writing nothing, when the state moved since.
   * Answers the step, and whether one took the view.
   */
  checking<T>(view: CallView, take: () => Step<T>): { step: Step<T>; checked: boolean };
}

/**
 * Every piece of the mock's mutable state that outlives a request, behind one seam: providers and
 * the control plane change it only through whole steps, never a read followed by a write, so that
 * an implementation shared by several processes stays exact.
 */
export interface MockState {
  /**
   * The mock's time, which every counter, window and stamped date reads: the clock beneath moved and
   * frozen as `time` says. A call on every request, so it answers at once; a shared implementation
   * keeps its own copy of the time setting, renewed when `time.change` changes it.
   */
  readonly clock: Clock;
  readonly time: TimeState;
  readonly usage: UsageState;
  readonly faults: FaultState;
  readonly journal: JournalState;
  /** Creation budgets shared by several processes; absent in memory. A reset fills them again. */
  readonly budgets?: BudgetState;
  /** Calls answered without catching up first, checked at their first step; a shared state only. */
  readonly views?: ViewState;
  /** Time, counters, windows, faults and journal back to their state at start-up. */
  reset(): Step<void>;
}
