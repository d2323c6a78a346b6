import { MockHttpError } from '../http/http-error.js';

/** Bounds on what the control plane adds, so that a runaway test can neither exhaust memory nor stall the server. */
export interface ControlLimits {
  /** Records, accounts and users together, it may add to one provider between two resets: as many as `--users` may generate. */
  recordsPerProvider: number;
  /** Users one generate call may add: the server answers nothing else while it generates them. */
  generateAtOnce: number;
}

export const DEFAULT_LIMITS: ControlLimits = { recordsPerProvider: 1_000_000, generateAtOnce: 100_000 };

/** What each provider may still receive through the control plane; full again after a reset. */
export class CreationBudget {
  private added = new Map<string, number>();

  constructor(readonly limits: ControlLimits) {}

  /** Throws a 422 when adding `count` records to the provider would pass its limit. */
  check(slug: string, title: string, count: number): void {
    const added = this.added.get(slug) ?? 0;
    if (added + count > this.limits.recordsPerProvider) {
      throw new MockHttpError(
        422,
        `The control plane adds at most ${this.limits.recordsPerProvider} records (accounts and users) to ${title} between resets, and has added ${added}; POST /__mock/reset starts again`,
      );
    }
  }

  spend(slug: string, count: number): void {
    this.added.set(slug, (this.added.get(slug) ?? 0) + count);
  }

  reset(): void {
    this.added.clear();
  }
}
