import { type Clock, MovableTime } from './clock.js';
import { FaultRegistry } from './faults.js';
import { Journal } from './journal.js';
import { PeriodCounter, periodStart } from './period-counter.js';
import { FixedWindowLimiter } from './rate-limiter.js';
import type { Admission, Figures, MockState, RateLimit, UsagePlan, UsageState } from './state.js';

type Counters = Map<string, PeriodCounter>;

/** Usage counters and rate-limit windows in this process's memory. */
class MemoryUsage implements UsageState {
  private readonly counters = new Map<string, Counters>();
  private readonly limiters = new Map<string, FixedWindowLimiter>();
  /** The instant seeded figures describe: a period begun since starts from zero. */
  private seededAt: number;

  constructor(private readonly clock: Clock) {
    this.seededAt = clock();
  }

  read(plan: UsagePlan, key: string, seeded: Figures): Figures {
    const counters = this.counters.get(`${plan.scope}\n${key}`);
    return counters ? figuresOf(counters) : this.seededFigures(plan, seeded);
  }

  admit(plan: UsagePlan, key: string, seeded: Figures, rate?: RateLimit): Admission {
    const decision = rate && this.limiterOf(plan.scope, rate).hit(key);
    if (decision && !decision.allowed) return { allowed: false, figures: this.read(plan, key, seeded), rate: decision };
    const counters = this.countersOf(plan, key, seeded);
    const figures: Figures = {};
    for (const [name, counter] of counters) figures[name] = counter.increment();
    return { allowed: true, figures, rate: decision };
  }

  set(plan: UsagePlan, key: string, seeded: Figures, values: Partial<Figures>): Figures {
    const counters = this.countersOf(plan, key, seeded);
    for (const [name, value] of Object.entries(values)) {
      const counter = counters.get(name);
      if (counter && value !== undefined) counter.value = value;
    }
    return figuresOf(counters);
  }

  forget(plan: UsagePlan, key: string): void {
    this.counters.delete(`${plan.scope}\n${key}`);
  }

  reset(): void {
    this.counters.clear();
    for (const limiter of this.limiters.values()) limiter.reset();
    this.seededAt = this.clock();
  }

  private countersOf(plan: UsagePlan, key: string, seeded: Figures): Counters {
    const id = `${plan.scope}\n${key}`;
    let counters = this.counters.get(id);
    if (!counters) {
      counters = new Map();
      const figures = this.seededFigures(plan, seeded);
      for (const [name, period] of Object.entries(plan.periods)) {
        counters.set(name, new PeriodCounter(period, figures[name] ?? 0, this.clock));
      }
      this.counters.set(id, counters);
    }
    return counters;
  }

  /** The seeded figures as they stand now: zero for a counter whose period has begun since they were seeded. */
  private seededFigures(plan: UsagePlan, seeded: Figures): Figures {
    const now = this.clock();
    const figures: Figures = {};
    for (const [name, period] of Object.entries(plan.periods)) {
      figures[name] = periodStart(period, this.seededAt) === periodStart(period, now) ? (seeded[name] ?? 0) : 0;
    }
    return figures;
  }

  private limiterOf(scope: string, rate: RateLimit): FixedWindowLimiter {
    let limiter = this.limiters.get(scope);
    if (!limiter) {
      limiter = new FixedWindowLimiter(rate.limit, rate.windowMs, this.clock);
      this.limiters.set(scope, limiter);
    }
    return limiter;
  }
}

function figuresOf(counters: Counters): Figures {
  const figures: Figures = {};
  for (const [name, counter] of counters) figures[name] = counter.value;
  return figures;
}

/** The mock's state in this process's memory: lost when the process ends. */
export class MemoryState implements MockState {
  readonly clock: Clock;
  readonly time: MovableTime;
  readonly usage: MemoryUsage;
  readonly faults: FaultRegistry;
  readonly journal: Journal;

  /** `clock` is the time beneath the mock's; `startAt`, when given, the instant at which the mock's time starts, frozen. */
  constructor(clock: Clock, options: { seed: number; journalSize: number; startAt?: number }) {
    this.time = new MovableTime(clock, options.startAt);
    this.clock = this.time.now;
    this.usage = new MemoryUsage(this.clock);
    this.faults = new FaultRegistry(options.seed);
    this.journal = new Journal(options.journalSize);
  }

  reset(): void {
    this.time.reset();
    this.usage.reset();
    this.faults.reset();
    this.journal.clear();
  }
}
