import autocannon from 'autocannon';
import { PerformanceObserver } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from './stats.js';

export interface RequestSpec {
  path: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  connections: number;
  /** Seconds of unmeasured load first. */
  warmup: number;
  /** Seconds the measured load should last: its request count is set from the warm-up's rate. */
  duration: number;
  /** Sends each distinct request once, one at a time, before the warm-up (a cold index, a lazy compile). */
  prime?: boolean;
  /** Runs between the warm-up and the measured load, and after it: counter snapshots. */
  between?: () => Promise<void>;
  /** The server's CPU time so far, in milliseconds: read around the measured load. */
  cpuMs?: () => number;
}

export interface LoadResult {
  /** Answers received in the measured load: exactly the requests sent, unless `complete` is false. */
  requests: number;
  seconds: number;
  rps: number;
  /** Milliseconds, from every answer of the measured load. */
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  bytesPerAnswer: number;
  /** Every request of the measured load was answered (none cut off by the time limit). */
  complete: boolean;
  /** The slowest of the priming requests, milliseconds. */
  coldMs?: number;
  /** The server's CPU time (user and system) per answer of the measured load, microseconds. */
  cpuUs?: number;
  /** The load generator's own garbage collection during the measured load: its longest pause and all, ms. */
  generatorGc?: { longestMs: number; totalMs: number };
}

interface Running {
  instance: autocannon.Instance;
  done: Promise<autocannon.Result>;
}

type RunOptions = Omit<autocannon.Options, 'url' | 'requests'>;

/**
 * Collections in this process (the load generator) while it measures: a pause here holds every
 * connection's answer at once and is counted in the server's latency, so the report shows them.
 */
function watchCollections(): { stop(): { longestMs: number; totalMs: number } } {
  const seen = { longestMs: 0, totalMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      seen.longestMs = Math.max(seen.longestMs, entry.duration);
      seen.totalMs += entry.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      observer.disconnect();
      return seen;
    },
  };
}

function run(base: string, requests: RequestSpec[], options: RunOptions, onResponse?: (ms: number) => void): Running {
  let instance!: autocannon.Instance;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        ...options,
        url: base,
        requests: requests.map((request) => ({ method: 'GET' as const, path: request.path, headers: request.headers })),
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
  if (onResponse) instance.on('response', (_client, _status, _bytes, ms) => onResponse(ms));
  return { instance, done };
}

/**
 * Load on one endpoint: an optional priming pass, a warm-up by time, then a measured load of a
 * fixed number of requests (so that counters can be checked against it exactly), sized from the
 * warm-up's rate to last about `duration` seconds, and stopped at four times that at most.
 */
export async function measure(base: string, requests: RequestSpec[], options: LoadOptions): Promise<LoadResult> {
  let coldMs: number | undefined;
  if (options.prime) {
    const distinct = new Map(requests.map((request) => [request.path + JSON.stringify(request.headers), request]));
    coldMs = 0;
    for (const request of distinct.values()) {
      const started = performance.now();
      const response = await fetch(base + request.path, { headers: request.headers });
      await response.arrayBuffer();
      coldMs = Math.max(coldMs, performance.now() - started);
    }
  }
  let rate = 1000;
  if (options.warmup > 0) {
    // in two halves: the rate of the second, once the code is compiled hot, sizes the measured load
    for (let half = 0; half < 2; half++) {
      const warm = await run(base, requests, { connections: options.connections, duration: options.warmup / 2 }).done;
      rate = Math.max(1, warm.requests.total / Math.max(0.001, warm.duration));
    }
  }
  await sleep(150); // answers to requests cut off by the end of the warm-up settle
  await options.between?.();

  const perConnection = Math.max(10, Math.round((rate * options.duration) / options.connections));
  const amount = perConnection * options.connections;
  const latencies = new Float64Array(amount);
  let answered = 0;
  const cpuBefore = options.cpuMs?.();
  const collections = watchCollections();
  const { instance, done } = run(base, requests, { connections: options.connections, amount, timeout: 30 }, (ms) => {
    if (answered < amount) latencies[answered] = ms;
    answered++;
  });
  const limit = setTimeout(() => instance.stop(), Math.max(4 * options.duration, 10) * 1000);
  const result = await done;
  clearTimeout(limit);
  const cpuAfter = options.cpuMs?.();
  const generatorGc = collections.stop();
  await sleep(100); // the server's bookkeeping after the last answer
  await options.between?.();

  const sorted = latencies.subarray(0, Math.min(answered, amount)).sort();
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stats?.count ?? 0;
  return {
    requests: answered,
    seconds: result.duration,
    rps: answered / Math.max(0.001, result.duration),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerAnswer: answered > 0 ? result.throughput.total / answered : 0,
    complete: answered === amount && result.errors === 0 && result.timeouts === 0,
    coldMs,
    generatorGc,
    cpuUs: cpuBefore === undefined || cpuAfter === undefined || answered === 0 ? undefined : ((cpuAfter - cpuBefore) * 1000) / answered,
  };
}
