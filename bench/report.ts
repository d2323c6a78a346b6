import os from 'node:os';
import type { Pinning } from './cpus.js';
import type { Endpoint } from './endpoints.js';
import type { LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import { median } from './stats.js';

/** `mock-production`: the mock with the settings of its image (NODE_ENV=production, JSON logs at info to a file). */
export type ServerKind = 'mock' | 'mock-production' | 'ceiling' | 'fastify' | 'fastify-logging' | 'prism' | 'prism-dynamic';
export type Phase = 'default' | 'large';

export interface Measurement {
  phase: Phase;
  users: number | null;
  run: number;
  server: ServerKind;
  endpoint: string;
  result: LoadResult;
}

export interface Check {
  phase: Phase;
  run: number;
  endpoint: string;
  what: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export interface StartupRecord {
  server: string;
  /** Generated users per provider; null for the default data. */
  users: number | null;
  run: number;
  /** Spawn to the first 200. */
  startupMs: number;
  /** Spawn to a 200 from each of the four providers (the mock only). */
  allMs?: number;
  rssMb: number;
  peakMb: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export interface Results {
  startedAt: string;
  finishedAt?: string;
  machine: Machine;
  options: BenchOptions;
  prism: string;
  /** Where servers and the load generator ran; null when they shared every core. */
  pinning?: Pinning | null;
  notes: string[];
  measurements: Measurement[];
  startups: StartupRecord[];
  checks: Check[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

export const fmt = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–';
export const ms = (value: number) => (Number.isFinite(value) ? (value < 10 ? fmt(value, 2) : fmt(value, 1)) : '–');
export const ratio = (value: number) => (Number.isFinite(value) ? `${fmt(value, 2)}×` : '–');
const yes = (ok: boolean | undefined) => (ok === undefined ? '–' : ok ? 'yes' : '**no**');

interface Row {
  endpoint: Endpoint;
  rps: Record<ServerKind, number>;
  p50: Record<ServerKind, number>;
  p99: Record<ServerKind, number>;
  /** The server's CPU microseconds per answer. */
  cpuUs: Record<ServerKind, number>;
  coldMs: number;
  toCeiling: number;
  toPrism: number;
  /** The mock's rate over the Fastify floor's, and the floor's over the ceiling's, in the same run (medians). */
  toFloor: number;
  /** The same, for the mock with production logs. */
  productionToFloor: number;
  /** The mock with production logs over the Fastify floor logging each request with its defaults. */
  productionToLoggingFloor: number;
  floorToCeiling: number;
  /** Prism's rate over the ceiling's, in the same run (median). */
  prismToCeiling: number;
  runs: number;
}

const KINDS: ServerKind[] = ['mock', 'mock-production', 'ceiling', 'fastify', 'fastify-logging', 'prism', 'prism-dynamic'];

/** Medians over runs, and the ratios taken within each run, then their median. */
export function summarize(results: Results, phase: Phase, endpoints: readonly Endpoint[]): Row[] {
  const rows: Row[] = [];
  for (const endpoint of endpoints) {
    const of = (server: ServerKind) =>
      results.measurements.filter((m) => m.phase === phase && m.endpoint === endpoint.name && m.server === server);
    const mock = of('mock');
    if (mock.length === 0) continue;
    const per = (server: ServerKind, pick: (result: LoadResult) => number) => median(of(server).map((m) => pick(m.result)));
    const sameRun = (other: ServerKind, from = mock) =>
      median(
        from.map((m) => {
          const peer = of(other).find((candidate) => candidate.run === m.run);
          return peer ? m.result.rps / peer.result.rps : NaN;
        }),
      );
    const table = (pick: (result: LoadResult) => number) =>
      Object.fromEntries(KINDS.map((kind) => [kind, per(kind, pick)])) as Record<ServerKind, number>;
    rows.push({
      endpoint,
      rps: table((r) => r.rps),
      p50: table((r) => r.p50),
      p99: table((r) => r.p99),
      cpuUs: table((r) => r.cpuUs ?? NaN),
      coldMs: per('mock', (r) => r.coldMs ?? NaN),
      toCeiling: sameRun('ceiling'),
      toPrism: sameRun('prism'),
      toFloor: sameRun('fastify'),
      productionToFloor: sameRun('fastify', of('mock-production')),
      productionToLoggingFloor: sameRun('fastify-logging', of('mock-production')),
      floorToCeiling: sameRun('ceiling', of('fastify')),
      prismToCeiling: sameRun('ceiling', of('prism')),
      runs: mock.length,
    });
  }
  return rows;
}

function startupTable(results: Results): string[] {
  const groups = new Map<string, StartupRecord[]>();
  for (const record of results.startups) {
    const key = `${record.server}\u0000${record.users ?? 'default'}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const lines = [
    '| server | generated users per provider | first 200 (ms) | all four providers answered (ms) | RSS after start (MB) | peak RSS (MB) | runs |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const records of groups.values()) {
    const first = records[0]!;
    const users = first.users === null ? 'default (50)' : fmt(first.users);
    lines.push(
      `| ${first.server} | ${users} | ${fmt(median(records.map((r) => r.startupMs)))} | ${fmt(median(records.map((r) => r.allMs ?? NaN)))} | ${fmt(median(records.map((r) => r.rssMb)), 1)} | ${fmt(median(records.map((r) => r.peakMb)), 1)} | ${records.length} |`,
    );
  }
  return lines;
}

/** A note when 10 times Prism's rate is more than the ceiling served in the same runs: no server reaches it here. */
function beyondCeiling(row: Row): string {
  const needed = 10 * row.prismToCeiling;
  return needed > 1 ? `; 10 × Prism is ${fmt(100 * needed)} % of the ceiling, beyond any server on this machine` : '';
}

/**
 * What each server spends per answer, read from its own CPU time: unlike requests per second, it
 * does not depend on how the load generator and the server share the machine.
 */
function cpuTable(rows: Row[]): string[] {
  if (!rows.some((row) => Number.isFinite(row.cpuUs.mock))) return [];
  const lines = [
    '### CPU per answer, default data',
    '',
    "Each server's own CPU time (user and system, from /proc) during the measured load, divided by the answers. The ceiling's time over the mock's is the share of the ceiling the mock would reach if both were held back by their own CPU alone.",
    '',
    '| endpoint | mock (µs) | ceiling (µs) | Prism (µs) | ceiling ÷ mock |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const { mock, ceiling, prism } = row.cpuUs;
    lines.push(`| \`${row.endpoint.name}\` | ${fmt(mock)} | ${fmt(ceiling)} | ${fmt(prism)} | ${fmt((100 * ceiling) / mock)} % |`);
  }
  return [...lines, ''];
}

/** Fastify's own share of the ceiling, measured beside the others: the mock cannot do better than its framework. */
function floorTable(rows: Row[]): string[] {
  if (!rows.some((row) => Number.isFinite(row.rps.fastify))) return [];
  const lines = [
    '### The framework\'s floor, default data',
    '',
    'A Fastify app with one catch-all route and nothing else (no schema, no hook) answering the same bytes as the ceiling (`bench/fastify-floor.mjs`), loaded right after it: what Fastify itself leaves of the ceiling on this machine. The mock is a Fastify app that validates every request against its schemas, authenticates, counts and journals it.',
    '',
    '"silent": logging off (`--log-level silent`). "production": the settings users run, as the image sets them: `NODE_ENV=production`, JSON log lines at `info` (one per request) written to a file, journal on. "logging floor": the same Fastify app logging each request with its defaults (`logger: true`: two JSON lines per request, to a file), loaded in the same rounds: equal work for the production mock.',
    '',
    '| endpoint | Fastify floor req/s | floor ÷ ceiling | mock silent req/s | silent ÷ floor | logging floor req/s | mock production req/s | production ÷ floor | production ÷ logging floor | floor CPU (µs) | logging floor CPU (µs) | silent CPU (µs) | production CPU (µs) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    lines.push(
      `| \`${row.endpoint.name}\` | ${fmt(row.rps.fastify)} | ${ratio(row.floorToCeiling)} | ${fmt(row.rps.mock)} | ${ratio(row.toFloor)} | ${fmt(row.rps['fastify-logging'])} | ${fmt(row.rps['mock-production'])} | ${ratio(row.productionToFloor)} | ${ratio(row.productionToLoggingFloor)} | ${fmt(row.cpuUs.fastify)} | ${fmt(row.cpuUs['fastify-logging'])} | ${fmt(row.cpuUs.mock)} | ${fmt(row.cpuUs['mock-production'])} |`,
    );
  }
  return [...lines, ''];
}

export interface Targets {
  lines: string[];
  met: boolean;
}

/** The issue's targets, each with what the run measured. */
export function targets(results: Results, endpoints: readonly Endpoint[]): Targets {
  const lines: string[] = [];
  let met = true;
  const note = (ok: boolean | undefined, text: string) => {
    if (ok === false) met = false;
    lines.push(`| ${text} | ${yes(ok)} |`);
  };
  const normal = summarize(results, 'default', endpoints);
  for (const row of normal.filter((r) => r.endpoint.status === 200)) {
    note(
      Number.isFinite(row.productionToLoggingFloor) ? row.productionToLoggingFloor >= 1 : undefined,
      `${row.endpoint.name}: with production logs, at least the requests per second of the Fastify floor logging each request with its defaults (measured ${ratio(row.productionToLoggingFloor)})`,
    );
    note(
      Number.isFinite(row.toFloor) ? row.toFloor >= 0.85 : undefined,
      `${row.endpoint.name}: logging silent, at least 0.85 of the Fastify floor's requests per second (measured ${ratio(row.toFloor)})`,
    );
  }
  for (const row of normal.filter((r) => r.endpoint.singleAccount && r.endpoint.status === 200)) {
    note(
      Number.isFinite(row.toCeiling) ? row.toCeiling >= 0.8 : undefined,
      `${row.endpoint.name}: at least 80 % of the ceiling's requests per second (measured ${fmt(100 * row.toCeiling)} %)`,
    );
  }
  for (const row of normal) {
    note(
      Number.isFinite(row.toPrism) ? row.toPrism >= 10 : undefined,
      `${row.endpoint.name}: at least 10 times Prism's requests per second (measured ${ratio(row.toPrism)})${beyondCeiling(row)}`,
    );
  }
  const large = summarize(results, 'large', endpoints);
  for (const row of large.filter((r) => r.endpoint.provider === 'datonis')) {
    const users = results.options.large;
    note(row.p99.mock < 10, `${row.endpoint.name} at ${fmt(users)} users: p99 under 10 ms (measured ${ms(row.p99.mock)} ms)`);
  }
  const startupOf = (users: number | null) =>
    results.startups.filter((r) => r.server === 'mock' && r.users === users);
  const defaults = startupOf(null);
  if (defaults.length > 0) {
    const startup = median(defaults.map((r) => r.startupMs));
    const rss = median(defaults.map((r) => r.rssMb));
    note(startup < 500, `start-up to the first 200 with the default data under 500 ms (measured ${fmt(startup)} ms)`);
    note(rss < 100, `resident memory with the default data under 100 MB (measured ${fmt(rss, 1)} MB)`);
  }
  const million = startupOf(1_000_000);
  if (million.length > 0) {
    const startup = median(million.map((r) => r.startupMs));
    note(startup < 10_000, `start-up to the first 200 with 1,000,000 users under 10 s (measured ${fmt(startup)} ms)`);
  }
  const failed = results.checks.filter((check) => !check.ok);
  note(
    results.checks.length > 0 ? failed.length === 0 : undefined,
    `counters, rate limits and the journal exact under load (${results.checks.length - failed.length} of ${results.checks.length} checks)`,
  );
  return { lines: ['| target | met |', '|---|---|', ...lines], met };
}

/** The load generator's own collections: they pause every connection at once, so they are shown. */
function generatorLine(results: Results): string[] {
  const seen = results.measurements.map((m) => m.result.generatorGc).filter((gc) => gc !== undefined);
  if (seen.length === 0) return [];
  const longest = Math.max(...seen.map((gc) => gc.longestMs));
  const most = Math.max(...seen.map((gc) => gc.totalMs));
  return [
    `The load generator's own garbage collection (its young generation capped at 8 MB, \`--max-semi-space-size=8\`, so that V8 does not start a full collection every few hundred milliseconds of a load): longest pause ${ms(longest)} ms, at most ${ms(most)} ms in all during one measured load.`,
    '',
  ];
}

function throughputTable(rows: Row[], withPeer: boolean): string[] {
  const lines = withPeer
    ? [
        '| endpoint | mock req/s | p50 (ms) | p99 (ms) | ceiling req/s | mock ÷ ceiling | Prism req/s | Prism p99 (ms) | mock ÷ Prism |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ]
    : [
        '| endpoint | mock req/s | p50 (ms) | p99 (ms) | first request (ms) | ceiling req/s | mock ÷ ceiling |',
        '|---|---:|---:|---:|---:|---:|---:|',
      ];
  for (const row of rows) {
    const name = `\`${row.endpoint.name}\``;
    lines.push(
      withPeer
        ? `| ${name} | ${fmt(row.rps.mock)} | ${ms(row.p50.mock)} | ${ms(row.p99.mock)} | ${fmt(row.rps.ceiling)} | ${ratio(row.toCeiling)} | ${fmt(row.rps.prism)} | ${ms(row.p99.prism)} | ${ratio(row.toPrism)} |`
        : `| ${name} | ${fmt(row.rps.mock)} | ${ms(row.p50.mock)} | ${ms(row.p99.mock)} | ${ms(row.coldMs)} | ${fmt(row.rps.ceiling)} | ${ratio(row.toCeiling)} |`,
    );
  }
  return lines;
}

export function markdown(results: Results, endpoints: readonly Endpoint[]): string {
  const { machine: m, options: o } = results;
  const lines = [
    '# provider-mock benchmark',
    '',
    `Run of \`npm run bench\` from ${results.startedAt} to ${results.finishedAt ?? '?'}.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores (shared with the load generator), ${m.memoryGb} GB, ${m.os}, Node ${m.node}; load average ${m.loadAverageAtStart.join(' ')} at the start, ${m.loadAverageAtEnd?.join(' ') ?? '?'} at the end.`,
    '',
    `Load: autocannon, ${o.connections} connections, ${o.warmup} s warm-up then about ${o.duration} s measured (a fixed number of requests, so that counters can be checked), ${o.runs} runs; each server its own process on 127.0.0.1${results.pinning ? ` pinned to core ${results.pinning.server}, the load generator to core ${results.pinning.load} (taskset)` : ', servers and load generator sharing every core'}, loaded one at a time (the others idle), endpoint by endpoint, so that an endpoint's three measurements are seconds apart. Medians over the runs; each ratio is taken within one run, then its median. Latencies are those of every answer of the measured load. Peer: Stoplight Prism ${results.prism}, static examples, logging off.`,
    '',
    ...generatorLine(results),
    '## Targets',
    '',
    ...targets(results, endpoints).lines,
    '',
    `## Every endpoint, default data (50 generated users per provider)`,
    '',
    ...throughputTable(summarize(results, 'default', endpoints), true),
    '',
    ...endpoints.map((e) => `- \`${e.name}\`: ${e.provider}, ${e.label}${e.status !== 200 ? ` (answers ${e.status})` : ''}`),
    '',
  ];
  lines.push(...cpuTable(summarize(results, 'default', endpoints)), ...floorTable(summarize(results, 'default', endpoints)));
  const dynamic = results.measurements.filter((m) => m.server === 'prism-dynamic');
  if (dynamic.length > 0) {
    lines.push(
      `Prism in dynamic mode (\`-d\`, a response generated per request) on \`${dynamic[0]!.endpoint}\`: ${fmt(median(dynamic.map((m) => m.result.rps)))} req/s, p99 ${ms(median(dynamic.map((m) => m.result.p99)))} ms.`,
      '',
    );
  }
  const large = summarize(results, 'large', endpoints);
  if (large.length > 0) {
    lines.push(
      `## Large data: ${fmt(o.large)} generated users per provider`,
      '',
      'Every user of the Datonis organisation being listed or searched is one of these. "First request" is the slowest of the first requests of each distinct query, sent one at a time before any load: a field\'s order or the search index is built on first use.',
      '',
      ...throughputTable(large, false),
      '',
    );
  }
  lines.push('## Start-up and memory', '', ...startupTable(results), '');
  const failed = results.checks.filter((check) => !check.ok);
  lines.push(
    '## Exactness under load',
    '',
    `After each measured load on the mock, the bench compares what it sent with what the mock counted: the journal's last id (every provider request), Plaspy's apiUsage, Fingerbank's requests counters and its 250-a-minute limit. ${results.checks.length - failed.length} of ${results.checks.length} checks agree.`,
    '',
  );
  for (const check of failed) {
    lines.push(`- **disagrees**: ${check.phase} run ${check.run} ${check.endpoint}: ${check.what}: expected ${check.expected}, counted ${check.actual}`);
  }
  if (results.notes.length > 0) lines.push('', '## Notes', '', ...results.notes.map((note) => `- ${note}`));
  return `${lines.join('\n')}\n`;
}
