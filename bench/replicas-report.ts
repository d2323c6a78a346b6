import type { Pinning } from './cpus.js';
import type { Endpoint } from './endpoints.js';
import type { Agreement } from './exactness.js';
import type { LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import { type Machine, fmt, ms, ratio } from './report.js';
import { median } from './stats.js';

/** `memory`: one replica keeping its state in memory; `replicas`: N replicas sharing it in Redis. */
export type Setup = 'memory' | 'replicas';

export interface ReplicaMeasurement {
  run: number;
  setup: Setup;
  endpoint: string;
  /** For `replicas`, the sum of every replica's load; `each` gives every replica's own. */
  result: LoadResult;
}

export interface ReplicaCheck extends Agreement {
  run: number;
  setup: Setup;
  endpoint: string;
}

export interface ReplicaResults {
  startedAt: string;
  finishedAt?: string;
  machine: Machine;
  options: BenchOptions;
  pinning: Pinning | null;
  /** redis-server's version. */
  redis: string;
  notes: string[];
  measurements: ReplicaMeasurement[];
  checks: ReplicaCheck[];
}

export interface ReplicaRow {
  endpoint: Endpoint;
  rps: Record<Setup, number>;
  p99: Record<Setup, number>;
  /** The replicas' rate over the one replica's, taken within each round, then the median. */
  toMemory: number;
  /** CPU microseconds per answer: the one replica's, the replicas' together, Redis's. */
  memoryCpuUs: number;
  replicasCpuUs: number;
  redisCpuUs: number;
  /** (replicas + Redis) per answer over the one replica's, within each round, then the median. */
  cpuToMemory: number;
  runs: number;
}

/** Medians over rounds; ratios taken within each round, then their median. */
export function summarizeReplicas(results: ReplicaResults, endpoints: readonly Endpoint[]): ReplicaRow[] {
  const rows: ReplicaRow[] = [];
  for (const endpoint of endpoints) {
    const of = (setup: Setup) => results.measurements.filter((m) => m.endpoint === endpoint.name && m.setup === setup);
    const [memory, replicas] = [of('memory'), of('replicas')];
    if (memory.length === 0 && replicas.length === 0) continue;
    const per = (from: ReplicaMeasurement[], pick: (result: LoadResult) => number | undefined) =>
      median(from.map((m) => pick(m.result) ?? NaN));
    const sameRound = (pick: (result: LoadResult) => number) =>
      median(
        replicas.map((m) => {
          const one = memory.find((candidate) => candidate.run === m.run);
          return one ? pick(m.result) / pick(one.result) : NaN;
        }),
      );
    rows.push({
      endpoint,
      rps: { memory: per(memory, (r) => r.rps), replicas: per(replicas, (r) => r.rps) },
      p99: { memory: per(memory, (r) => r.p99), replicas: per(replicas, (r) => r.p99) },
      toMemory: sameRound((r) => r.rps),
      memoryCpuUs: per(memory, (r) => r.cpuUs),
      replicasCpuUs: per(replicas, (r) => r.cpuUs),
      redisCpuUs: per(replicas, (r) => r.stateCpuUs),
      cpuToMemory: sameRound((r) => (r.cpuUs ?? NaN) + (r.stateCpuUs ?? 0)),
      runs: Math.min(memory.length, replicas.length),
    });
  }
  return rows;
}

function where(results: ReplicaResults): string {
  const { pinning, machine: m, options: o } = results;
  if (pinning) {
    return `This machine has ${m.cores} cores. Every server process, Redis included, runs on core ${pinning.server} and the load generator on core ${pinning.load} (taskset): the ${o.replicas} replicas and Redis share the core the one replica has to itself. The ratio is therefore what sharing the state costs on the same CPU, not how the mock scales with replicas.`;
  }
  const shared = `This machine has ${m.cores} cores, and every process may run on any of them (\`--no-pin\`).`;
  return m.cores < o.replicas + 2
    ? `${shared} The ${o.replicas} replicas, Redis and the load generator compete for the same ${m.cores} cores, so the ratio is what sharing the state costs, not how the mock scales with replicas.`
    : `${shared} There are enough for each replica, Redis and the load generator to have one, so the ratio includes what the replicas' extra cores give.`;
}

export function replicasMarkdown(results: ReplicaResults, endpoints: readonly Endpoint[]): string {
  const { machine: m, options: o } = results;
  const n = o.replicas;
  const rows = summarizeReplicas(results, endpoints);
  const lines = [
    `# provider-mock: ${n} replicas on Redis against one in memory`,
    '',
    `Run of \`npm run bench -- --replicas ${n}\` from ${results.startedAt} to ${results.finishedAt ?? '?'}.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, ${m.os}, Node ${m.node}; load average ${m.loadAverageAtStart.join(' ')} at the start, ${m.loadAverageAtEnd?.join(' ') ?? '?'} at the end.`,
    '',
    `Compared endpoint by endpoint, within the same round: one replica of the built mock keeping its state in memory (\`node dist/cli.js\`, logging silent), and ${n} replicas of the same build sharing their state (counters, rate-limit windows, faults, the journal, record changes) in a redis-server ${results.redis} of the bench's own on 127.0.0.1, with no persistence, through one \`--state-url\` and \`--state-prefix\`, so that they act as one server. Load: autocannon in the bench process, ${o.connections} connections in all; for the replicas, one autocannon instance per replica with its share of the connections, started together, with no load balancer in between; their requests per second are each replica's own rate, added. ${o.warmup} s warm-up, then about ${o.duration} s measured; ${o.runs === 1 ? 'one round' : `${o.runs} rounds, medians; each ratio is taken within one round, then its median; which setup is loaded first alternates from round to round`}.`,
    '',
    where(results),
    '',
    "CPU per answer: each process's own CPU time (user and system, from /proc) during the measured load, divided by the answers: the replicas' added together, Redis's apart.",
    '',
    `| endpoint | one in memory req/s | p99 (ms) | ${n} on Redis req/s | p99 (ms) | ${n} on Redis ÷ one | one in memory CPU (µs) | ${n} replicas CPU (µs) | Redis CPU (µs) | (replicas + Redis) ÷ one |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (row) =>
        `| \`${row.endpoint.name}\` | ${fmt(row.rps.memory)} | ${ms(row.p99.memory)} | ${fmt(row.rps.replicas)} | ${ms(row.p99.replicas)} | ${ratio(row.toMemory)} | ${fmt(row.memoryCpuUs)} | ${fmt(row.replicasCpuUs)} | ${fmt(row.redisCpuUs)} | ${ratio(row.cpuToMemory)} |`,
    ),
    '',
    ...endpoints.map((e) => `- \`${e.name}\`: ${e.provider}, ${e.label}${e.status !== 200 ? ` (answers ${e.status})` : ''}`),
    '',
  ];
  const count = (setup?: Setup) => {
    const checks = results.checks.filter((check) => setup === undefined || check.setup === setup);
    return `${checks.filter((check) => check.ok).length} of ${checks.length}`;
  };
  lines.push(
    '## Exactness under load',
    '',
    `After each measured load the bench compares what it sent, to every replica together, with what the state counted, read through the control plane of one replica: the shared journal's last id, Plaspy's apiUsage, Fingerbank's requests counters and its 250-a-minute limit on one key called through every replica. ${count('replicas')} checks agree with ${n} replicas on Redis, ${count('memory')} with one replica in memory.`,
    '',
  );
  for (const check of results.checks.filter((c) => !c.ok)) {
    lines.push(`- **disagrees**: ${check.setup} run ${check.run} ${check.endpoint}: ${check.what}: expected ${check.expected}, counted ${check.actual}`);
  }
  if (results.notes.length > 0) lines.push('', '## Notes', '', ...results.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}
