import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Answer, captureAnswers } from './capture.js';
import { Control } from './control.js';
import { type Context, ENDPOINTS, type Endpoint, PROBE, type Slug, firstRequests } from './endpoints.js';
import { exactness, snapshot, type Snapshot } from './exactness.js';
import { measure } from './load.js';
import { readOptions } from './options.js';
import { ensurePrism, peerDocument, prismVersion } from './peer.js';
import { HOST, type Server, freePort, startServer } from './processes.js';
import { type Phase, type Results, type ServerKind, machine, markdown } from './report.js';

const TITLES: Record<Slug, string> = { datafiniti: 'Datafiniti', fingerbank: 'Fingerbank', plaspy: 'Plaspy', datonis: 'Datonis' };
/** The generated organisation of the fixtures: the one whose users the bench lists and searches. */
const DATONIS_GENERATED_TOKEN = 'Fs3kR9vLq2WmXc7pTz4NbA';

const options = readOptions();
const deadline = Date.now() + options.maxMinutes * 60_000;
const endpoints = ENDPOINTS.filter((endpoint) => options.only.length === 0 || options.only.includes(endpoint.name));
const results: Results = {
  startedAt: new Date().toISOString(),
  machine: machine(),
  options,
  prism: 'not measured',
  notes: [],
  measurements: [],
  startups: [],
  checks: [],
};

const log = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
const inTime = () => Date.now() < deadline;

/** Fingerbank keys enough that no key reaches 250 requests at the fastest rate seen on this machine. */
function fingerbankKeyCount(): number {
  const fastest = 60_000; // requests per second, generous
  return Math.ceil((fastest * (options.warmup + 2 * options.duration + 1)) / 200);
}

async function startMock(users: number | null, run: number): Promise<Server> {
  const port = await freePort();
  const args = ['dist/cli.js', '--port', String(port), '--log-level', 'silent'];
  if (users !== null) args.push('--users', String(users));
  const server = await startServer({ name: 'mock', command: process.execPath, args, port, probe: PROBE, timeoutMs: 120_000 });
  const started = performance.now() - server.startupMs;
  for (const request of firstRequests(DATONIS_GENERATED_TOKEN)) {
    const response = await fetch(server.base + request.path, { headers: request.headers });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${request.path} answered ${response.status} on a fresh mock`);
  }
  const allMs = performance.now() - started;
  await sleep(300);
  results.startups.push({ server: 'mock', users, run, startupMs: server.startupMs, allMs, ...server.memory() });
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
): Promise<void> {
  if (!inTime()) return;
  const requests = kind === 'mock' || kind === 'ceiling' ? endpoint.requests(context) : (endpoint.peerRequests ?? endpoint.requests)(context);
  const snapshots: Snapshot[] = [];
  const take = control ? async () => void snapshots.push(await snapshot(control, endpoint, context)) : undefined;
  await take?.();
  const result = await measure(server.base, requests, {
    connections: options.connections,
    warmup: options.warmup,
    duration: options.duration,
    prime: endpoint.prime === true && kind === 'mock',
    between: take,
  });
  results.measurements.push({ phase, users: phase === 'large' ? options.large : null, run, server: kind, endpoint: endpoint.name, result });
  if (control) {
    results.checks.push(...exactness(endpoint, snapshots, result).map((check) => ({ phase, run, endpoint: endpoint.name, ...check })));
  }
  const statuses = Object.entries(result.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  log(`  ${kind.padEnd(13)} ${endpoint.name.padEnd(20)} ${Math.round(result.rps).toString().padStart(6)} req/s  p50 ${result.p50.toFixed(2)}  p99 ${result.p99.toFixed(2)} ms  ${statuses}${result.complete ? '' : '  (incomplete)'}`);
}

/** The mock, the ceiling and Prism, one after the other, on every endpoint. */
async function comparisonRun(phase: Phase, run: number): Promise<void> {
  const users = phase === 'large' ? options.large : null;
  const selected = endpoints.filter((endpoint) => phase === 'default' || endpoint.large);
  if (selected.length === 0 || !inTime()) return;
  log(`${phase} data, run ${run}: mock`);
  const mock = await startMock(users, run);
  const control = new Control(mock.base);
  let context: Context;
  let answers: Answer[];
  try {
    const keys = selected.some((endpoint) => endpoint.name === 'fingerbank') ? fingerbankKeyCount() : 0;
    context = await control.discover(users ?? 50, keys);
    answers = await captureAnswers(mock.base, control, selected, context);
    for (const endpoint of selected) await load(mock, 'mock', endpoint, context, phase, run, control);
  } finally {
    await mock.stop();
  }

  log(`${phase} data, run ${run}: ceiling`);
  const ceiling = await startCeiling(answers, run, phase);
  try {
    for (const endpoint of selected) await load(ceiling, 'ceiling', endpoint, context, phase, run);
  } finally {
    await ceiling.stop();
  }

  if (!options.peer || phase !== 'default') return;
  for (const slug of Object.keys(TITLES) as Slug[]) {
    const mine = selected.filter((endpoint) => endpoint.provider === slug);
    if (mine.length === 0 || !inTime()) continue;
    log(`${phase} data, run ${run}: Prism (${TITLES[slug]})`);
    const prism = await startPrism(slug, context, false, run);
    try {
      for (const endpoint of mine) await load(prism, 'prism', endpoint, context, phase, run);
    } finally {
      await prism.stop();
    }
  }
  const listed = selected.find((endpoint) => endpoint.name === 'datonis-plain');
  if (listed && inTime()) {
    log(`${phase} data, run ${run}: Prism dynamic (Datonis)`);
    const prism = await startPrism('datonis', context, true, run);
    try {
      await load(prism, 'prism-dynamic', listed, context, phase, run);
    } finally {
      await prism.stop();
    }
  }
}

async function startupRuns(): Promise<void> {
  for (const users of options.sizes) {
    for (let run = 1; run <= options.runs && inTime(); run++) {
      const mock = await startMock(users, run);
      await mock.stop();
      const last = results.startups[results.startups.length - 1]!;
      log(`start-up with ${users} users, run ${run}: first 200 after ${Math.round(last.startupMs)} ms, all four after ${Math.round(last.allMs ?? NaN)} ms, ${last.rssMb.toFixed(1)} MB`);
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
  log('building dist/ (tsc)');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--declaration', 'false'], {
    stdio: 'inherit',
  });
  if (options.peer) {
    ensurePrism();
    results.prism = prismVersion();
  }
  try {
    for (let run = 1; run <= options.runs; run++) await comparisonRun('default', run);
    await startupRuns();
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
