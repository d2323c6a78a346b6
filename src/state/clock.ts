/** Milliseconds since the epoch. Injected so that tests can move time. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** The span a date can show in ISO 8601 with four-digit years: 1970 to the end of 9999. */
export const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A change that would take the mock's time out of the span dates can show. */
export class ClockRangeError extends RangeError {
  constructor() {
    super('The mock’s time must stay between 1970 and the end of 9999');
  }
}

/** The mock's time as the control plane shows it. */
export interface ClockView {
  /** The mock's time now, milliseconds since the epoch. */
  now: number;
  /** How far the mock's time is from the clock beneath it (real time, or the one a test gave buildApp). */
  offsetMs: number;
  /** When frozen, the mock's time stands still until it is moved. */
  frozen: boolean;
}

/** A change of the mock's time: set to an instant, then moved on, then frozen or let run; any of them, in that order. */
export interface ClockChange {
  set?: number;
  advanceMs?: number;
  freeze?: boolean;
}

/**
 * The mock's time: the clock beneath moved by an offset, or frozen at an instant. With `start`,
 * it begins (and a reset brings it back) frozen at that instant; otherwise at the clock beneath.
 */
export class MovableTime {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(
    private readonly base: Clock,
    private readonly start?: number,
  ) {
    this.reset();
  }

  /** The mock's time now: what every counter, window and stamped date reads. */
  readonly now: Clock = () => this.frozenAt ?? this.base() + this.offsetMs;

  read(): ClockView {
    const base = this.base();
    const now = this.frozenAt ?? base + this.offsetMs;
    return { now, offsetMs: now - base, frozen: this.frozenAt !== undefined };
  }

  change({ set, advanceMs = 0, freeze }: ClockChange): ClockView {
    const now = (set ?? this.now()) + advanceMs;
    if (!(now >= 0 && now <= LATEST)) throw new ClockRangeError();
    if (freeze ?? this.frozenAt !== undefined) {
      this.frozenAt = now;
    } else {
      this.frozenAt = undefined;
      this.offsetMs = now - this.base();
    }
    return this.read();
  }

  reset(): void {
    this.offsetMs = 0;
    this.frozenAt = this.start;
  }
}
