import type { Clock } from './clock.js';
import type { RateDecision } from './state.js';

interface Window {
  start: number;
  count: number;
}

/**
 * Whether a window begun at `start` is over at `now`: its length passed, or it starts after now (the
 * mock's time moved back), so that it ends rather than sticks. The shared state's script applies the
 * same rule (state/redis/scripts.ts, USAGE_STEP).
 */
export function windowOver(now: number, start: number, windowMs: number): boolean {
  return now < start || now - start >= windowMs;
}

/**
 * Fixed windows per key, each starting with the key's first request in it (not with the clock's
 * minute). Resettable and driven by an injected clock, which the control plane and tests need.
 */
export class FixedWindowLimiter {
  private windows = new Map<string, Window>();
  private hitsSinceSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  hit(key: string): RateDecision {
    const now = this.clock();
    this.sweepNow(now);
    let window = this.windows.get(key);
    if (!window || windowOver(now, window.start, this.windowMs)) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const allowed = window.count < this.limit;
    if (allowed) window.count++;
    return {
      allowed,
      limit: this.limit,
      remaining: this.limit - window.count,
      resetInMs: window.start + this.windowMs - now,
    };
  }

  reset(): void {
    this.windows.clear();
  }

  /** Drops expired windows now and then, so memory follows the keys in use, not all keys ever seen. */
  private sweepNow(now: number): void {
    if (++this.hitsSinceSweep < 1024) return;
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) {
      if (windowOver(now, window.start, this.windowMs)) this.windows.delete(key);
    }
  }
}
