import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, captureAnswers } from './capture.js';
import { Control } from './control.js';
import { type Context, ENDPOINTS, type Endpoint, PROBE, type Slug, firstRequests } from './endpoints.js';
import { exactness, snapshot, type Snapshot } from './exactness.js';
import { startFloor } from './floor.js';
import { measure } from './load.js';
import { readOptions } from './options.js';
import { ensurePrism, peerDocument, prismVersion } from './peer.js';
import { pinLoadGenerator } from './cpus.js';
import { HOST, type Server, freePort, pinServers, startServer } from './processes.js';
import { findRedisServer } from './redis.js';
import { replicaComparison } from './replicas.js';
import { type Phase, type Results, type ServerKind, machine, markdown } from './report.js';

const TITLES: Record<Slug, string> = { datafiniti: 'Datafiniti', fingerbank: 'Fingerbank', plaspy: 'Plaspy', datonis: 'Datonis' };
/** The generated organisation of the fixtures: the one whose users the bench lists and searches. */
const DATONIS_GENERATED_TOKEN = 'Fs3kR9vLq2WmXc7pTz4NbA';

const options = readOptions();
const pinning = options.pin ? pinLoadGenerator() : null;
pinServers(pinning);
const deadline = Date.now() + options.maxMinutes * 60_000;
const endpoints = ENDPOINTS.filter((endpoint) => options.only.length === 0 || options.only.includes(endpoint.name));
const results: Results = {
  startedAt: new Date().toISOString(),
  machine: machine(),
  options,
  prism: 'not measured',
  pinning,
  notes: [],
  measurements: [],
  startups: [],
  checks: [],
};

if (!process.execArgv.some((flag) => flag.startsWith('--max-semi-space-size'))) {
  results.notes.push('Run without `npm run bench`: the load generator\'s young generation was not capped, so its own collections may show in the latencies.');
}

const log = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
const inTime = () => Date.now() < deadline;

/** Fingerbank keys enough that no key reaches 250 requests at the fastest rate seen on this machine. */
function fingerbankKeyCount(): number {
  const fastest = 60_000; // requests per second, generous
  return Math.ceil((fastest * (options.warmup + 2 * options.duration + 1)) / 200);
}

/**
 * The built mock, logging off; or, with `production`, with the image's settings: NODE_ENV=production
 * (JSON lines), logs at info, standard output to a file as a log collector would take it.
 */
async function startMock(users: number | null, run: number, recordStartup = false, production = false): Promise<Server> {
  const port = await freePort();
  const args = ['dist/cli.js', '--port', String(port), ...(production ? [] : ['--log-level', 'silent'])];
  if (users !== null) args.push('--users', String(users));
  const server = await startServer({
    name: production ? 'mock (production logs)' : 'mock',
    command: process.execPath,
    args,
    port,
    probe: PROBE,
    timeoutMs: 120_000,
    ...(production
      ? { env: { NODE_ENV: 'production', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stdoutFile: `${os.tmpdir()}/provider-mock-bench-${process.pid}.log` }
      : {}),
  });
  const started = performance.now() - server.startupMs;
  for (const request of firstRequests(DATONIS_GENERATED_TOKEN)) {
    const response = await fetch(server.base + request.path, { headers: request.headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status} on a fresh mock`);
  }
  const allMs = performance.now() - started;
  await sleep(300);
  if (recordStartup) results.startups.push({ server: 'mock', users, run, startupMs: server.startupMs, allMs, ...server.memory() });
  return server;
}

async function startCeiling(answers: Answer[], run: number, phase: Phase): Promise<Server> {
  const port = await freePort();
  const file = `${os.tmpdir()}/provider-mock-ceiling-${process.pid}.json`;
  writeFileSync(file, JSON.stringify(answers));
  const server = await startServer({
    name: 'ceiling',
    command: process.execPath,
    args: ['bench/ceiling-server.mjs', String(port), file],
    port,
    probe: PROBE,
    timeoutMs: 30_000,
  });
  if (phase === 'default') results.startups.push({ server: 'ceiling', users: null, run, startupMs: server.startupMs, ...server.memory() });
  return server;
}

async function startPrism(slug: Slug, context: Context, dynamic: boolean, run: number): Promise<Server> {
  const port = await freePort();
  const document = await peerDocument(slug, TITLES[slug]);
  const probeEndpoint = endpoints.find((endpoint) => endpoint.provider === slug && endpoint.status === 200);
  const probe = probeEndpoint ? probeEndpoint.requests(context)[0]! : PROBE;
  const args = ['mock', '-h', HOST, '-p', String(port), '-v', 'silent', ...(dynamic ? ['-d', '--seed', '1'] : []), document];
  const server = await startServer({ name: 'prism', command: ensurePrism(), args, port, probe, timeoutMs: 60_000 });
  if (!dynamic) {
    results.startups.push({ server: `Prism (${TITLES[slug]} document)`, users: null, run, startupMs: server.startupMs, ...server.memory() });
  }
  return server;
}

async function load(
  server: Server,
  kind: ServerKind,
  endpoint: Endpoint,
  context: Context,
  phase: Phase,
  run: number,
  control?: Control,
  firstMs?: number,
): Promise<void> {
  if (!inTime()) return;
  const requests = kind === 'prism' || kind === 'prism-dynamic' ? (endpoint.peerRequests ?? endpoint.requests)(context) : endpoint.requests(context);
  const snapshots: Snapshot[] = [];
  const take = control ? async () => void snapshots.push(await snapshot(control, endpoint, context)) : undefined;
  await take?.();
  const result = await measure(server.base, requests, {
    connections: options.connections,
    warmup: options.warmup,
    duration: options.duration,
    between: take,
    cpuMs: server.cpuMs,
  });
  if (firstMs !== undefined) result.coldMs = firstMs;
  results.measurements.push({ phase, users: phase === 'large' ? options.large : null, run, server: kind, endpoint: endpoint.name, result });
  if (control) {
    results.checks.push(...exactness(endpoint, snapshots, result).map((check) => ({ phase, run, endpoint: endpoint.name, ...check })));
  }
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  log(`  ${kind.padEnd(13)} ${endpoint.name.padEnd(20)} ${Math.round(result.rps).toString().padStart(6)} req/s  p50 ${result.p50.toFixed(2)}  p99 ${result.p99.toFixed(2)} ms  ${statuses}${result.complete ? '' : '  (incomplete)'}`);
}

/**
 * The mock, the ceiling, the Fastify floor and Prism on every endpoint. They run beside each other and are
 * loaded one at a time, endpoint by endpoint, so that an endpoint's ratios are taken within
 * seconds of each other on this shared machine; a server not being loaded is idle.
 */
async function comparisonRun(phase: Phase, run: number): Promise<void> {
  const users = phase === 'large' ? options.large : null;
  const selected = endpoints.filter((endpoint) => phase === 'default' || endpoint.large);
  if (selected.length === 0 || !inTime()) return;
  log(`${phase} data, run ${run}`);
  const mock = await startMock(users, run);
  const started: Server[] = [mock];
  try {
    const control = new Control(mock.base);
    const keys = selected.some((endpoint) => endpoint.name === 'fingerbank') ? fingerbankKeyCount() : 0;
    const context = await control.discover(users ?? 50, keys);
    const { answers, firstMs } = await captureAnswers(mock.base, control, selected, context);
    const ceiling = await startCeiling(answers, run, phase);
    started.push(ceiling);
    const floor = phase === 'default' ? await startFloor(answers) : undefined;
    if (floor) started.push(floor);
    const loggingFloor = phase === 'default' ? await startFloor(answers, { logging: true }) : undefined;
    if (loggingFloor) started.push(loggingFloor);
    // the same endpoints with the image's settings; it gets its own keys and accounts, made the same way
    const production = phase === 'default' ? await startMock(users, run, false, true) : undefined;
    if (production) started.push(production);
    const productionContext = production && (await new Control(production.base).discover(users ?? 50, keys));
    let prism: { slug: Slug; server: Server } | undefined;
    for (const endpoint of selected) {
      if (!inTime()) break;
      await load(mock, 'mock', endpoint, context, phase, run, control, firstMs.get(endpoint.name));
      if (production && productionContext) await load(production, 'mock-production', endpoint, productionContext, phase, run);
      await load(ceiling, 'ceiling', endpoint, context, phase, run);
      if (floor) await load(floor, 'fastify', endpoint, context, phase, run);
      if (loggingFloor) await load(loggingFloor, 'fastify-logging', endpoint, context, phase, run);
      if (!options.peer || phase !== 'default') continue;
      if (prism?.slug !== endpoint.provider) {
        await prism?.server.stop();
        prism = { slug: endpoint.provider, server: await startPrism(endpoint.provider, context, false, run) };
        started.push(prism.server);
      }
      await load(prism.server, 'prism', endpoint, context, phase, run);
    }
    await prism?.server.stop();
    const listed = selected.find((endpoint) => endpoint.name === 'datonis-plain');
    if (listed && options.peer && phase === 'default' && inTime()) {
      const dynamic = await startPrism('datonis', context, true, run);
      started.push(dynamic);
      await load(dynamic, 'prism-dynamic', listed, context, phase, run);
    }
  } finally {
    for (const server of started) await server.stop();
  }
}

/**
 * Start-up and memory, each start on an idle machine: a second's pause first, so that servers
 * stopped just before (Prism's exit takes a while) do not share the core with the one starting.
 * The default data is the start with no --users flag.
 */
async function startupRuns(): Promise<void> {
  for (const users of [null, ...options.sizes]) {
    for (let run = 1; run <= options.runs && inTime(); run++) {
      await sleep(1000);
      const mock = await startMock(users, run, true);
      await mock.stop();
      const last = results.startups[results.startups.length - 1]!;
      log(`start-up with ${users ?? "the default"} users, run ${run}: first 200 after ${Math.round(last.startupMs)} ms, all four after ${Math.round(last.allMs ?? NaN)} ms, ${last.rssMb.toFixed(1)} MB`);
    }
  }
}

function write(): void {
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageAtEnd = os.loadavg().map((value) => Math.round(value * 100) / 100);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(`${options.out}/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(`${options.out}/latest.md`, markdown(results, endpoints));
  log(`wrote ${options.out}/latest.md and ${options.out}/latest.json`);
}

async function main(): Promise<void> {
  if (options.replicas > 0) {
    try {
      findRedisServer();
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  log('building dist/ (npm run build: what the image runs)');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (options.replicas > 0) {
    const { maxMinutes, replicas } = options;
    log(`${replicas} replicas on Redis against one in memory (--replicas); at most ${maxMinutes} minutes`);
    await replicaComparison({
      options,
      endpoints,
      pinning,
      fingerbankKeys: fingerbankKeyCount(),
      datonisToken: DATONIS_GENERATED_TOKEN,
      log,
      inTime,
    });
    return;
  }
  if (options.peer) {
    ensurePrism();
    results.prism = prismVersion();
  }
  try {
    // start-ups first, while this process (which polls for the first answer) is fresh
    await startupRuns();
    for (let run = 1; run <= options.runs; run++) await comparisonRun('default', run);
    if (options.large > 0) for (let run = 1; run <= options.runs; run++) await comparisonRun('large', run);
    if (!inTime()) results.notes.push(`Stopped measuring after ${options.maxMinutes} minutes (--max-minutes): some runs are missing.`);
  } catch (error) {
    results.notes.push(`The run failed: ${error instanceof Error ? error.message : String(error)}`);
    write();
    throw error;
  }
  write();
}

await main();
process.exit(0);
