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
  /**
   * With several servers: the warm-up goes on, in halves of `warmup`, until every server answered
   * at least this many requests in it (30 s at most). V8 compiles a server's code hot after enough
   * calls, not enough seconds, and servers sharing one core each get a share of the seconds.
   */
  warmAnswers?: number;
  /** Seconds the measured load should last: its request count is set from the warm-up's rate. */
  duration: number;
  /** Sends each distinct request once, one at a time, before the warm-up (a cold index, a lazy compile). */
  prime?: boolean;
  /** Runs between the warm-up and the measured load, and after it: counter snapshots. */
  between?: () => Promise<void>;
  /** The server's CPU time so far, in milliseconds: read around the measured load. */
  cpuMs?: () => number;
  /** The same for the process that keeps the servers' shared state (Redis), when there is one. */
  stateCpuMs?: () => number;
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
  /** The shared state's process (Redis): its CPU time per answer of the measured load, microseconds. */
  stateCpuUs?: number;
  /** With several servers loaded together: each one's own answers and rate. */
  each?: TargetResult[];
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

/** One server of a load that several share: its address, what it is sent, and its connections. */
export interface Target {
  base: string;
  requests: RequestSpec[];
  connections: number;
}

/** What one target of a shared load answered during the measured load. */
export interface TargetResult {
  base: string;
  requests: number;
  seconds: number;
  rps: number;
}

/**
 * Load on one endpoint: an optional priming pass, a warm-up by time, then a measured load of a
 * fixed number of requests (so that counters can be checked against it exactly), sized from the
 * warm-up's rate to last about `duration` seconds, and stopped at four times that at most.
 */
export async function measure(base: string, requests: RequestSpec[], options: LoadOptions): Promise<LoadResult> {
  return measureTogether([{ base, requests, connections: options.connections }], options);
}

/**
 * The same load on several servers at once, one load generator each, started and warmed up
 * together, each measured load sized from that server's own warm-up rate so that they end about
 * together. The result sums them: answers, statuses and requests per second (each server's own
 * rate, added); latencies are those of every answer of every server; `cpuMs` should read the CPU
 * time of all of them. With several targets, `each` gives every server's own figures.
 */
export async function measureTogether(
  targets: Target[],
  options: Omit<LoadOptions, 'connections'>,
): Promise<LoadResult> {
  let coldMs: number | undefined;
  if (options.prime) {
    coldMs = 0;
    for (const { base, requests } of targets) {
      const distinct = new Map(requests.map((request) => [request.path + JSON.stringify(request.headers), request]));
      for (const request of distinct.values()) {
        const started = performance.now();
        const response = await fetch(base + request.path, { headers: request.headers });
        await response.arrayBuffer();
        coldMs = Math.max(coldMs, performance.now() - started);
      }
    }
  }
  const rates = targets.map(() => 1000);
  if (options.warmup > 0) {
    // in halves, at least two: the rate of the last, once the code is compiled hot, sizes the measured load
    const warmed = targets.map(() => 0);
    const started = performance.now();
    const cold = () => warmed.some((answers) => answers < (options.warmAnswers ?? 0)) && performance.now() - started < 30_000;
    for (let half = 0; half < 2 || cold(); half++) {
      const warm = await Promise.all(
        targets.map(({ base, requests, connections }) => run(base, requests, { connections, duration: options.warmup / 2 }).done),
      );
      warm.forEach((result, i) => {
        rates[i] = Math.max(1, result.requests.total / Math.max(0.001, result.duration));
        warmed[i]! += result.requests.total;
      });
    }
  }
  await sleep(150); // answers to requests cut off by the end of the warm-up settle
  await options.between?.();

  const amounts = targets.map(({ connections }, i) => Math.max(10, Math.round((rates[i]! * options.duration) / connections)) * connections);
  const total = amounts.reduce((a, b) => a + b, 0);
  const latencies = new Float64Array(total);
  let answered = 0;
  const answeredBy = targets.map(() => 0);
  const cpuBefore = options.cpuMs?.();
  const stateCpuBefore = options.stateCpuMs?.();
  const collections = watchCollections();
  const running = targets.map(({ base, requests, connections }, i) =>
    run(base, requests, { connections, amount: amounts[i], timeout: 30 }, (ms) => {
      if (answered < total) latencies[answered] = ms;
      answered++;
      answeredBy[i]!++;
    }),
  );
  const limit = setTimeout(() => {
    for (const { instance } of running) instance.stop();
  }, Math.max(4 * options.duration, 10) * 1000);
  const results = await Promise.all(running.map(({ done }) => done));
  clearTimeout(limit);
  const cpuAfter = options.cpuMs?.();
  const stateCpuAfter = options.stateCpuMs?.();
  const generatorGc = collections.stop();
  await sleep(100); // the server's bookkeeping after the last answer
  await options.between?.();

  const sorted = latencies.subarray(0, Math.min(answered, total)).sort();
  const statuses: Record<string, number> = {};
  for (const result of results) {
    for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = (statuses[status] ?? 0) + (stats?.count ?? 0);
  }
  const each = results.map((result, i) => ({
    base: targets[i]!.base,
    requests: answeredBy[i]!,
    seconds: result.duration,
    rps: answeredBy[i]! / Math.max(0.001, result.duration),
  }));
  const sum = (pick: (result: autocannon.Result) => number) => results.reduce((all, result) => all + pick(result), 0);
  const perAnswer = (before: number | undefined, after: number | undefined) =>
    before === undefined || after === undefined || answered === 0 ? undefined : ((after - before) * 1000) / answered;
  return {
    requests: answered,
    seconds: Math.max(...each.map((target) => target.seconds)),
    rps: each.reduce((all, target) => all + target.rps, 0),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? NaN,
    statuses,
    errors: sum((result) => result.errors),
    timeouts: sum((result) => result.timeouts),
    bytesPerAnswer: answered > 0 ? sum((result) => result.throughput.total) / answered : 0,
    complete: answeredBy.every((count, i) => count === amounts[i]) && sum((result) => result.errors + result.timeouts) === 0,
    coldMs,
    generatorGc,
    cpuUs: perAnswer(cpuBefore, cpuAfter),
    ...(options.stateCpuMs ? { stateCpuUs: perAnswer(stateCpuBefore, stateCpuAfter) } : {}),
    ...(targets.length > 1 ? { each } : {}),
  };
}
