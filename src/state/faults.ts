import { seededRandom } from '../data/random.js';
import type { FaultState } from './state.js';

export interface FaultSpec {
  /** The provider's slug. */
  provider: string;
  /** One route only, as declared (`/api/users/:userId`); every route of the provider when absent. */
  route?: string;
  /** Answer with this status in the provider's error format; with none, only the delay applies. */
  status?: number;
  message?: string;
  /** Added latency, milliseconds. */
  delayMs?: number;
  /** For the next N matching requests; for every one when absent. */
  times?: number;
  /** Applies to each matching request with this probability (0 to 1); always when absent. */
  probability?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Requests it has applied to so far. */
  hits: number;
}

export interface FaultAction {
  status?: number;
  message?: string;
  delayMs?: number;
}

/** Faults set through the control plane, applied to provider requests in the order they were added. */
export class FaultRegistry implements FaultState {
  private faults: Fault[] = [];
  private nextId = 1;
  private random: () => number;

  constructor(private readonly seed: number) {
    this.random = seededRandom(seed);
  }

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `fault-${this.nextId++}`, hits: 0 };
    this.faults.push(fault);
    return fault;
  }

  /** How many faults are in force. */
  get size(): number {
    return this.faults.length;
  }

  list(provider?: string): Fault[] {
    return this.faults.filter((fault) => provider === undefined || fault.provider === provider);
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length !== before;
  }

  clear(provider?: string): number {
    const before = this.faults.length;
    this.faults = provider === undefined ? [] : this.faults.filter((fault) => fault.provider !== provider);
    return before - this.faults.length;
  }

  reset(): void {
    this.faults = [];
    this.nextId = 1;
    this.random = seededRandom(this.seed);
  }

  /** The first fault that applies to this request, counted as used; undefined when none does. */
  take(provider: string, routeOf: () => string | undefined): FaultAction | undefined {
    if (this.faults.length === 0) return undefined;
    let route: string | undefined;
    for (const fault of this.faults) {
      if (fault.provider !== provider) continue;
      if (fault.route !== undefined && fault.route !== (route ??= routeOf())) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fault.hits++;
      if (fault.times !== undefined && fault.hits >= fault.times) this.remove(fault.id);
      return { status: fault.status, message: fault.message, delayMs: fault.delayMs };
    }
    return undefined;
  }
}

/**
 * Prism's per-request override: `Prefer: code=429` answers that status, `Prefer: delay=200` adds
 * latency; both may be combined (`Prefer: code=502, delay=100`). Values that are not whole numbers
 * in range are ignored, as a server ignores preferences it does not understand (RFC 7240).
 */
export function parsePrefer(header: string | string[] | undefined): FaultAction | undefined {
  if (header === undefined) return undefined;
  const action: FaultAction = {};
  for (const part of (Array.isArray(header) ? header.join(',') : header).split(/[,;]/)) {
    const [name, raw] = part.split('=').map((text) => text.trim().toLowerCase());
    const value = Number(raw?.replace(/^"|"$/g, ''));
    if (!Number.isInteger(value)) continue;
    if (name === 'code' && value >= 100 && value <= 599) action.status = value;
    if (name === 'delay' && value >= 0 && value <= 60_000) action.delayMs = value;
  }
  return action.status === undefined && action.delayMs === undefined ? undefined : action;
}
