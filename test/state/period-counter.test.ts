import { describe, expect, it } from 'vitest';
import { Draws, scopeKey } from '../../src/data/draws.js';
import { type Period, PeriodCounter, periodStart } from '../../src/state/period-counter.js';

/** The counter as first written: the period worked out again at every read. */
class Reference {
  private start: number;
  constructor(
    private readonly period: Period,
    private count: number,
    private readonly clock: () => number,
  ) {
    this.start = periodStart(period, clock());
  }
  private roll(): void {
    const current = periodStart(this.period, this.clock());
    if (current !== this.start) {
      this.start = current;
      this.count = 0;
    }
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
}

describe('PeriodCounter', () => {
  it.each(['hour', 'day', 'month', 'forever'] as const)('counts as the plain definition does per %s, the clock moving either way', (period) => {
    const draws = new Draws(scopeKey(1, period)).at(0);
    let now = Date.parse('2026-01-31T23:59:59.000Z');
    const clock = () => now;
    const counter = new PeriodCounter(period, 7, clock);
    const reference = new Reference(period, 7, clock);
    for (let step = 0; step < 5000; step++) {
      now += draws.pick([1, 999, 60_000, 3_599_000, 86_399_999, 31 * 86_400_000, -3_600_000, -1]);
      switch (draws.below(3)) {
        case 0:
          expect(counter.increment()).toBe(reference.increment());
          break;
        case 1:
          expect(counter.value).toBe(reference.value);
          break;
        default: {
          const next = draws.below(100);
          counter.value = next;
          reference.value = next;
        }
      }
    }
  });
});
