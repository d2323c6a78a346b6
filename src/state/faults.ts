import { seededRandom } from '../data/draws.js';

/** How a fault may break the connection instead of answering. */
export const CONNECTION_FAULTS = ['reset', 'hang', 'empty', 'truncate'] as const;
/**
 * `reset`: the socket is destroyed without an answer (a TCP reset); `hang`: nothing is sent until
 * the client gives up or the server shuts down; `empty`: the connection closes with no bytes;
 * `truncate`: the answer's headers and half of its body, then the connection closes.
 */
export type ConnectionFault = (typeof CONNECTION_FAULTS)[number];

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** What one call gets from a fault: an error status, latency, headers, a broken connection; none of them answers normally. */
export interface FaultAction {
  status?: number;
  message?: string;
  delayMs?: number;
  /** Added to the answer. */
  headers?: Record<string, string>;
  connection?: ConnectionFault;
}

/** One step of a fault's sequence: what one matching call gets, or `{ pass: true }` to answer it normally. */
export interface FaultStep extends FaultAction {
  pass?: boolean;
}

export interface FaultSpec extends FaultAction {
  /** The provider's slug. */
  provider: string;
  /** One route only, as declared (`/api/users/:userId`); every route of the provider when absent. */
  route?: string;
  /** One method only (`GET`); every method when absent. */
  method?: HttpMethod;
  /** Calls with this credential only: the key or token, however the provider takes it. */
  credential?: string;
  /** One step per matching call, in order; then the fault ends, or starts again with `repeat`. */
  sequence?: FaultStep[];
  repeat?: boolean;
  /** For the next N matching requests; for every one when absent (or until a sequence ends). */
  times?: number;
  /** Applies to each matching request with this probability (0 to 1); always when absent. */
  probability?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  /** Requests it has applied to so far. */
  hits: number;
}

/** The call a fault may apply to; what costs to read is read only when a fault asks for it. */
export interface FaultCall {
  method: string;
  /** The route as declared. */
  route(): string | undefined;
  /** The caller's key or token, however the provider takes it; undefined when none is readable. */
  credential(): string | undefined;
}

function matches(fault: Fault, call: FaultCall, cache: { route?: string | undefined; credential?: string | undefined }): boolean {
  if (fault.method !== undefined && fault.method !== call.method) return false;
  if (fault.route !== undefined && fault.route !== (cache.route ??= call.route())) return false;
  if (fault.credential !== undefined && fault.credential !== (cache.credential ??= call.credential())) return false;
  return true;
}

/** The action of a fault's `hits`-th use (from 1): its sequence's step, or the fault itself. */
export function actionOf(fault: Fault, hits: number): FaultAction {
  const step: FaultStep = fault.sequence ? fault.sequence[(hits - 1) % fault.sequence.length]! : fault;
  if (step.pass) return {};
  const { status, message, delayMs, headers, connection } = step;
  return { status, message, delayMs, headers, connection };
}

/** Whether a fault is used up after `hits` uses: its `times` spent, or its sequence run through once (unless it repeats). */
function spent(fault: Fault, hits: number): boolean {
  if (fault.times !== undefined && hits >= fault.times) return true;
  return fault.sequence !== undefined && !fault.repeat && hits >= fault.sequence.length;
}

/** Faults set through the control plane, applied to provider requests in the order they were added (the state's `faults`). */
export class FaultRegistry {
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

  /** The next step of the first fault that applies to this call, counted as used; undefined when none does. */
  take(provider: string, call: FaultCall): FaultAction | undefined {
    if (this.faults.length === 0) return undefined;
    const cache = {};
    for (const fault of this.faults) {
      if (fault.provider !== provider || !matches(fault, call, cache)) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      const hits = ++fault.hits;
      if (spent(fault, hits)) this.remove(fault.id);
      return actionOf(fault, hits);
    }
    return undefined;
  }
}
