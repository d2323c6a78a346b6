import type { Pinning } from './cpus.js';
import type { Endpoint } from './endpoints.js';
import type { Agreement } from './exactness.js';
import type { LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import { type Machine, fmt, ms, ratio } from './report.js';
import { median } from './stats.js';

/**
 * Answers each server gives in its warm-up, at least: three replicas in memory on one core
 * (Datonis plain, 12 connections) spent 169 to 261 µs of CPU per answer after a 1 s warm-up, 55
 * after 3 s and 49 after 6 s, against 39 for one: what the bench measured as the cost of sharing
 * was mostly code not yet compiled hot, each replica having had a quarter of the core's seconds.
 */
export const WARM_ANSWERS = 10_000;

/**
 * `memory`: one replica keeping its state in memory; `replicas`: N replicas sharing it in Redis.
 * `floor-memory`: one Fastify floor answering the mock's captured bytes; `floor-redis`: N floors
 * making one round trip to Redis per answer (bench/fastify-floor.mjs).
 */
export type Setup = MockSetup | 'floor-memory' | 'floor-redis';

/** The setups that are the mock: the exactness checks apply to them only. */
export type MockSetup = 'memory' | 'replicas';

export interface ReplicaMeasurement {
  run: number;
  setup: Setup;
  endpoint: string;
  /** For `replicas`, the sum of every replica's load; `each` gives every replica's own. */
  result: LoadResult;
}

export interface ReplicaCheck extends Agreement {
  run: number;
  setup: MockSetup;
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
  rps: Record<MockSetup, number>;
  p99: Record<MockSetup, number>;
  /** The replicas' rate over the one replica's, taken within each round, then the median. */
  toMemory: number;
  /** CPU microseconds per answer: the one replica's, the replicas' together, Redis's. */
  memoryCpuUs: number;
  replicasCpuUs: number;
  redisCpuUs: number;
  /** (replicas + Redis) per answer over the one replica's, within each round, then the median. */
  cpuToMemory: number;
  runs: number;
  floor: FloorRow;
}

/** The Fastify floor's figures on one endpoint: one in memory, N on Redis with one round trip per answer. */
export interface FloorRow {
  rps: { memory: number; redis: number };
  /** CPU microseconds per answer: the one floor's, the N floors' together, Redis's. */
  memoryCpuUs: number;
  redisFloorsCpuUs: number;
  redisCpuUs: number;
  /** (floors + Redis) per answer over the one floor's, within each round, then the median. */
  cpuToMemory: number;
  runs: number;
}

/** Medians over rounds; ratios taken within each round, then their median. */
export function summarizeReplicas(results: ReplicaResults, endpoints: readonly Endpoint[]): ReplicaRow[] {
  const rows: ReplicaRow[] = [];
  for (const endpoint of endpoints) {
    const of = (setup: Setup) => results.measurements.filter((m) => m.endpoint === endpoint.name && m.setup === setup);
    const [memory, replicas, floorMemory, floorRedis] = [of('memory'), of('replicas'), of('floor-memory'), of('floor-redis')];
    if (memory.length + replicas.length + floorMemory.length + floorRedis.length === 0) continue;
    const per = (from: ReplicaMeasurement[], pick: (result: LoadResult) => number | undefined) =>
      median(from.map((m) => pick(m.result) ?? NaN));
    const sameRound = (pick: (result: LoadResult) => number, shared = replicas, single = memory) =>
      median(
        shared.map((m) => {
          const one = single.find((candidate) => candidate.run === m.run);
          return one ? pick(m.result) / pick(one.result) : NaN;
        }),
      );
    const withRedis = (r: LoadResult) => (r.cpuUs ?? NaN) + (r.stateCpuUs ?? 0);
    rows.push({
      endpoint,
      rps: { memory: per(memory, (r) => r.rps), replicas: per(replicas, (r) => r.rps) },
      p99: { memory: per(memory, (r) => r.p99), replicas: per(replicas, (r) => r.p99) },
      toMemory: sameRound((r) => r.rps),
      memoryCpuUs: per(memory, (r) => r.cpuUs),
      replicasCpuUs: per(replicas, (r) => r.cpuUs),
      redisCpuUs: per(replicas, (r) => r.stateCpuUs),
      cpuToMemory: sameRound(withRedis),
      runs: Math.min(memory.length, replicas.length),
      floor: {
        rps: { memory: per(floorMemory, (r) => r.rps), redis: per(floorRedis, (r) => r.rps) },
        memoryCpuUs: per(floorMemory, (r) => r.cpuUs),
        redisFloorsCpuUs: per(floorRedis, (r) => r.cpuUs),
        redisCpuUs: per(floorRedis, (r) => r.stateCpuUs),
        cpuToMemory: sameRound(withRedis, floorRedis, floorMemory),
        runs: Math.min(floorMemory.length, floorRedis.length),
      },
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

/** The Fastify floor's table: the least one round trip to Redis per answer costs, beside the mock's ratio. */
function floorSection(results: ReplicaResults, rows: readonly ReplicaRow[]): string[] {
  if (!results.measurements.some((m) => m.setup === 'floor-redis' || m.setup === 'floor-memory')) return [];
  const n = results.options.replicas;
  return [
    '## Against the Fastify floor on Redis',
    '',
    `In the same rounds, loaded the same way (the same connections shared out the same way, the same pinning, warm-up, duration and CPU accounting, in the alternating order): one Fastify floor (\`bench/fastify-floor.mjs\`: one catch-all route, no schema, no hook) answering the mock's captured bytes from memory, and ${n} floors that each wait, before every answer, for exactly one round trip to the same redis-server, under a key prefix of their own: one script appending a fixed 600-byte entry shaped like a journal entry to one shared list and trimming it to its last 1,000, the least Redis work the mock does per answer (one script writing its journal entry). Their ratio, (floors + Redis) ÷ one floor in memory, is the least any design making one round trip to Redis per answer can reach with this machine's pinning: the mock's ratio is to be read against it, not against 1×.`,
    '',
    `| endpoint | one floor in memory req/s | one floor CPU (µs) | ${n} floors on Redis req/s | ${n} floors CPU (µs) | Redis CPU (µs) | floor: (floors + Redis) ÷ one | mock: (replicas + Redis) ÷ one |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ endpoint, floor, cpuToMemory }) =>
        `| \`${endpoint.name}\` | ${fmt(floor.rps.memory)} | ${fmt(floor.memoryCpuUs)} | ${fmt(floor.rps.redis)} | ${fmt(floor.redisFloorsCpuUs)} | ${fmt(floor.redisCpuUs)} | ${ratio(floor.cpuToMemory)} | ${ratio(cpuToMemory)} |`,
    ),
    '',
  ];
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
    `Compared endpoint by endpoint, within the same round: one replica of the built mock keeping its state in memory (\`node dist/cli.js\`, logging silent), and ${n} replicas of the same build sharing their state (counters, rate-limit windows, faults, the journal, record changes) in a redis-server ${results.redis} of the bench's own on 127.0.0.1, with no persistence, through one \`--state-url\` and \`--state-prefix\`, so that they act as one server. Load: autocannon in the bench process, ${o.connections} connections in all; for the replicas, one autocannon instance per replica with its share of the connections, started together, with no load balancer in between; their requests per second are each replica's own rate, added. ${o.warmup} s warm-up, longer until every server has answered ${WARM_ANSWERS.toLocaleString('en-US')} requests in it (V8 compiles code hot after enough calls, and servers sharing a core each get a share of the seconds), then about ${o.duration} s measured; ${o.runs === 1 ? 'one round' : `${o.runs} rounds, medians; each ratio is taken within one round, then its median; which setup is loaded first alternates from round to round`}.`,
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
    ...floorSection(results, rows),
    ...endpoints.map((e) => `- \`${e.name}\`: ${e.provider}, ${e.label}${e.status !== 200 ? ` (answers ${e.status})` : ''}`),
    '',
  ];
  const count = (setup: MockSetup) => {
    const checks = results.checks.filter((check) => check.setup === setup);
    return `${checks.filter((check) => check.ok).length} of ${checks.length}`;
  };
  lines.push(
    '## Exactness under load',
    '',
    `After each measured load the bench compares what it sent, to every replica together, with what the state counted, read through the control plane of one replica: the shared journal's last id, Plaspy's apiUsage, Fingerbank's requests counters and its 250-a-minute limit on one key called through every replica. ${count('replicas')} checks agree with ${n} replicas on Redis, ${count('memory')} with one replica in memory. The floors keep no counters: these checks are the mock's only.`,
    '',
  );
  for (const check of results.checks.filter((c) => !c.ok)) {
    lines.push(`- **disagrees**: ${check.setup} run ${check.run} ${check.endpoint}: ${check.what}: expected ${check.expected}, counted ${check.actual}`);
  }
  if (results.notes.length > 0) lines.push('', '## Notes', '', ...results.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}
