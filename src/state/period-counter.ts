import type { Clock } from './clock.js';

/** The span after which a usage counter starts again from zero (UTC). */
export type Period = 'hour' | 'day' | 'month' | 'forever';

/** The start of the period after the one that starts at `start` (Infinity for ever). */
function nextPeriodStart(period: Period, start: number): number {
  const d = new Date(start);
  switch (period) {
    case 'hour':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case 'forever':
      return Infinity;
  }
}

export function periodStart(period: Period, ms: number): number {
  const d = new Date(ms);
  switch (period) {
    case 'hour':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours());
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'forever':
      return 0;
  }
}

/**
 * A usage counter that counts real calls and starts again at the start of each period.
 * The initial value holds for the period in which the counter was created.
 */
export class PeriodCounter {
  private count: number;
  private start: number;
  /** The current period is [start, end): within it a read needs no calendar arithmetic. */
  private end: number;

  constructor(
    private readonly period: Period,
    initial: number,
    private readonly clock: Clock,
  ) {
    this.count = initial;
    this.start = periodStart(period, clock());
    this.end = nextPeriodStart(period, this.start);
  }

  get value(): number {
    this.roll();
    return this.count;
  }

  set value(next: number) {
    this.roll();
    this.count = next;
  }

  increment(): number {
    this.roll();
    return ++this.count;
  }

  private roll(): void {
    const now = this.clock();
    if (now >= this.start && now < this.end) return;
    const current = periodStart(this.period, now);
    if (current !== this.start) {
      this.start = current;
      this.end = nextPeriodStart(this.period, current);
      this.count = 0;
    }
  }
}
