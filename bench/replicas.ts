import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { captureAnswers } from './capture.js';
import { Control } from './control.js';
import type { Pinning } from './cpus.js';
import { type Context, type Endpoint, PROBE, firstRequests } from './endpoints.js';
import { exactness, snapshot, type Snapshot } from './exactness.js';
import { startFloor } from './floor.js';
import { type Target, measureTogether } from './load.js';
import type { BenchOptions } from './options.js';
import { type Server, freePort, startServer } from './processes.js';
import { type BenchRedis, redisVersion, startRedis } from './redis.js';
import { type MockSetup, type ReplicaResults, type Setup, WARM_ANSWERS, replicasMarkdown } from './replicas-report.js';
import { machine } from './report.js';

export interface ReplicaRun {
  options: BenchOptions;
  endpoints: readonly Endpoint[];
  pinning: Pinning | null;
  /** Fingerbank keys to create in each setup, so that no key reaches its limit. */
  fingerbankKeys: number;
  /** The Datonis organisation whose users the bench lists and searches. */
  datonisToken: string;
  log(text: string): void;
  inTime(): boolean;
}

/** `total` connections shared out over `parts` servers as evenly as they go: 10 over 3 is 4, 3, 3. */
export function shareConnections(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/** The built mock, logging off: in memory, or one replica of a group on `shared` (URL and prefix). */
async function startReplica(name: string, shared?: { url: string; prefix: string }): Promise<Server> {
  const port = await freePort();
  const args = ['dist/cli.js', '--port', String(port), '--log-level', 'silent'];
  if (shared) args.push('--state-url', shared.url, '--state-prefix', shared.prefix, '--replica-id', name);
  return startServer({ name, command: process.execPath, args, port, probe: PROBE, timeoutMs: 120_000 });
}

/** Every provider answers once, so that a replica has caught up with the group's record changes. */
async function answerOnce(server: Server, datonisToken: string): Promise<void> {
  for (const request of firstRequests(datonisToken)) {
    const response = await fetch(server.base + request.path, { headers: request.headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status} on ${server.name}`);
  }
}

interface Group {
  setup: Setup;
  servers: Server[];
  context: Context;
  redis?: BenchRedis;
  /** The mock's control plane, where the exactness checks read its state; the floors have none. */
  mock?: { setup: MockSetup; control: Control };
}

/**
 * One round: one replica in memory, N replicas on Redis, one Fastify floor in memory and N floors
 * each making one round trip to Redis per answer, all started first, then loaded in turn endpoint
 * by endpoint (the others idle), so that an endpoint's figures are seconds apart; the order of the
 * four is reversed from one round to the next.
 */
async function round(run: number, redis: BenchRedis, spec: ReplicaRun, results: ReplicaResults): Promise<void> {
  const { options, endpoints, log } = spec;
  const n = options.replicas;
  log(`round ${run}: one replica in memory, ${n} replicas on Redis, one Fastify floor in memory, ${n} floors on Redis`);
  const started: Server[] = [];
  const start = async (starting: Promise<Server>) => {
    const server = await starting;
    started.push(server);
    return server;
  };
  try {
    const single = await start(startReplica('memory'));
    const shared = { url: redis.url, prefix: `bench-${process.pid}-${run}` };
    const replicas: Server[] = [];
    // one after the other: the first starts the group on the prefix, the others join it
    for (let i = 1; i <= n; i++) replicas.push(await start(startReplica(`replica-${i}`, shared)));
    const mockGroup = async (setup: MockSetup, servers: Server[]): Promise<Group & Required<Pick<Group, 'mock'>>> => {
      const control = new Control(servers[0]!.base);
      const context = await control.discover(50, spec.fingerbankKeys);
      for (const server of servers) await answerOnce(server, spec.datonisToken);
      return { setup, servers, context, mock: { setup, control }, ...(setup === 'replicas' ? { redis } : {}) };
    };
    const memory = await mockGroup('memory', [single]);
    const groups: Group[] = [memory, await mockGroup('replicas', replicas)];
    // the floors answer what the replica in memory answered to the requests it is sent
    const { answers } = await captureAnswers(single.base, memory.mock.control, endpoints, memory.context);
    const floor = await start(startFloor(answers));
    const floorsOnRedis = { url: redis.url, prefix: `bench-floor-${process.pid}-${run}:` };
    const floors: Server[] = [];
    for (let i = 1; i <= n; i++) floors.push(await start(startFloor(answers, { name: `fastify floor on Redis ${i}`, redis: floorsOnRedis })));
    groups.push({ setup: 'floor-memory', servers: [floor], context: memory.context });
    groups.push({ setup: 'floor-redis', servers: floors, context: memory.context, redis });
    if (run % 2 === 0) groups.reverse();
    for (const endpoint of endpoints) {
      for (const { setup, servers, context, mock, redis: state } of groups) {
        if (!spec.inTime()) return;
        const connections = shareConnections(options.connections, servers.length);
        const targets: Target[] = servers.map((server, i) => ({
          base: server.base,
          requests: endpoint.requests(context),
          connections: connections[i]!,
        }));
        const snapshots: Snapshot[] = [];
        const take = mock && (async () => void snapshots.push(await snapshot(mock.control, endpoint, context)));
        await take?.();
        const result = await measureTogether(targets, {
          warmup: options.warmup,
          warmAnswers: WARM_ANSWERS,
          duration: options.duration,
          prime: endpoint.prime,
          between: take,
          cpuMs: () => servers.reduce((all, server) => all + server.cpuMs(), 0),
          ...(state ? { stateCpuMs: state.cpuMs } : {}),
        });
        results.measurements.push({ run, setup, endpoint: endpoint.name, result });
        if (mock) {
          results.checks.push(...exactness(endpoint, snapshots, result).map((check) => ({ run, setup: mock.setup, endpoint: endpoint.name, ...check })));
        }
        const statuses = Object.entries(result.statuses)
          .map(([status, count]) => `${status}×${count}`)
          .join(' ');
        log(
          `  ${setup.padEnd(12)} ${endpoint.name.padEnd(20)} ${Math.round(result.rps).toString().padStart(6)} req/s  p99 ${result.p99.toFixed(2)} ms  ${statuses}${result.complete ? '' : '  (incomplete)'}`,
        );
      }
    }
  } finally {
    for (const server of started) await server.stop();
  }
}

/**
 * `npm run bench -- --replicas N`: N replicas sharing their state in a redis-server of the bench's
 * own against one replica keeping it in memory, on every endpoint, beside the same comparison of the
 * Fastify floor (N floors making one round trip to that Redis per answer against one in memory);
 * writes replicas.md and replicas.json.
 */
export async function replicaComparison(spec: ReplicaRun): Promise<void> {
  const { options, log } = spec;
  const redis = await startRedis();
  const results: ReplicaResults = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    options,
    pinning: spec.pinning,
    redis: redisVersion(),
    notes: [],
    measurements: [],
    checks: [],
  };
  log(`redis-server ${results.redis} on ${redis.url} (no persistence), pid ${redis.pid}`);
  try {
    for (let run = 1; run <= options.runs && spec.inTime(); run++) await round(run, redis, spec, results);
    if (!spec.inTime()) results.notes.push(`Stopped measuring after ${options.maxMinutes} minutes (--max-minutes): some runs are missing.`);
  } catch (error) {
    results.notes.push(`The run failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  } finally {
    await redis.stop();
    results.finishedAt = new Date().toISOString();
    results.machine.loadAverageAtEnd = os.loadavg().map((value) => Math.round(value * 100) / 100);
    mkdirSync(options.out, { recursive: true });
    writeFileSync(`${options.out}/replicas.json`, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(`${options.out}/replicas.md`, replicasMarkdown(results, spec.endpoints));
    log(`wrote ${options.out}/replicas.md and ${options.out}/replicas.json`);
  }
}
