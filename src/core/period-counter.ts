import type { Clock } from './clock.js';

/** The span after which a usage counter starts again from zero (UTC). */
export type Period = 'hour' | 'day' | 'month' | 'forever';

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

  constructor(
    private readonly period: Period,
    initial: number,
    private readonly clock: Clock,
  ) {
    this.count = initial;
    this.start = periodStart(period, clock());
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
    const current = periodStart(this.period, this.clock());
    if (current !== this.start) {
      this.start = current;
      this.count = 0;
    }
  }
}
