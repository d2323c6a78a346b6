import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { captureAnswers } from './capture.js';
import { Control } from './control.js';
import { type Context, ENDPOINTS, type Endpoint, PROBE } from './endpoints.js';
import { measure } from './load.js';
import { freePort, startServer } from './processes.js';

/**
 * Where one endpoint's time goes, and how much of it is above the Fastify floor: the production
 * start (`node dist/cli.js`, built beforehand by `npm run bench` or `npm run build`) and the floor
 * answering the same bytes (bench/fastify-floor.mjs; with `--production`, logging each request
 * with Fastify's defaults to a file), each under `--cpu-prof`, loaded in turn; the
 * samples of the measured load (not start-up, set-up or warm-up) summed by part and by function,
 * as microseconds of CPU per answer.
 * Usage: npm run bench:profile -- <endpoint> [--users N] [--seconds S] [--production]
 * (`--production`: the image's settings, NODE_ENV=production and JSON logs at info to a file)
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { users: { type: 'string' }, seconds: { type: 'string' }, production: { type: 'boolean' } },
});
const endpoint = ENDPOINTS.find((candidate) => candidate.name === positionals[0]);
if (!endpoint) {
  process.stderr.write(`name an endpoint: ${ENDPOINTS.map((candidate) => candidate.name).join(', ')}\n`);
  process.exit(2);
}
const users = values.users === undefined ? undefined : Number(values.users);
const seconds = Number(values.seconds ?? 8);
const production = values.production === true;
/** Sampling every 100 µs rather than V8's default 1 ms: a few microseconds per answer must show. */
const PROFILE_FLAGS = ['--cpu-prof', '--cpu-prof-interval', '100'];

/** Where a sample's code comes from: the bundle's own `// <path>` comments name each module. */
class BundleModules {
  private readonly starts: { line: number; module: string }[] = [];

  constructor(file: string) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, line) => {
        const path = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text)?.[1];
        if (path) this.starts.push({ line, module: path });
      });
  }

  /** The module a zero-based line of the bundle belongs to. */
  at(line: number): string {
    let found = 'dist/server.cjs';
    for (const start of this.starts) {
      if (start.line > line) break;
      found = start.module;
    }
    return found;
  }
}

const PARTS: [RegExp, string][] = [
  // the journal's own work, and the hook that records each answer and writes its log line (with the redaction both share)
  [/^src\/state\/journal/, 'mock: journal'],
  [/^src\/http\/(request-recording|redaction|logger)/, 'mock: recording hook, log line and redaction'],
  [/^src\/providers\/([^/]+)/, 'mock: provider $1'],
  [/^src\/state\//, 'mock: state (counters, limits, faults, time)'],
  [/^src\/(http|data|control|contract)\//, 'mock: shared http and data'],
  [/^src\//, 'mock: other'],
  [/^node_modules\/(pino|sonic-boom|thread-stream|fast-redact|on-exit-leak-free|quick-format-unescaped|pino-std-serializers)\b/, 'pino (log lines)'],
  [/^node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify|fast-json-stringify|fast-querystring|toad-cache|abstract-logging|process-warning|rfdc|secure-json-parse|fast-decode-uri-component)\b/, 'Fastify'],
  [/^node_modules\/(ajv|ajv-formats)\b/, 'Ajv (validation)'],
  [/^node_modules\/((@[^/]+\/)?[^/]+)/, '$1'],
];

function partOf(module: string): string {
  for (const [pattern, name] of PARTS) {
    const match = pattern.exec(module);
    if (match) return name.replace('$1', match[1] ?? '');
  }
  return module;
}

const SOCKET = new Set(['writev', 'writeString', 'writeUtf8String', 'writeLatin1String', 'writeBuffer', 'utf8Write', 'latin1Write', 'fsync']);

interface Sampled {
  /** Microseconds of CPU per answer, by part and by function. */
  byPart: Map<string, number>;
  byFunction: Map<string, number>;
  perAnswer: number;
  rps: number;
  p99: number;
}

async function profiled(name: string, args: string[], env: NodeJS.ProcessEnv | undefined, context: (base: string) => Promise<Context>, bundle?: BundleModules): Promise<Sampled> {
  const directory = mkdtempSync(`${os.tmpdir()}/provider-mock-profile-`);
  const port = await freePort();
  const server = await startServer({
    name,
    command: process.execPath,
    args: [...PROFILE_FLAGS, `--cpu-prof-dir=${directory}`, ...args.map((arg) => (arg === '<port>' ? String(port) : arg))],
    port,
    probe: PROBE,
    timeoutMs: 120_000,
    ...(env ? { env, stdoutFile: `${directory}/server.log` } : {}),
  });
  const requests = (endpoint as Endpoint).requests(await context(server.base));
  // V8's sample times and process.hrtime are both the monotonic clock: keep only the measured load's samples
  let measuredFrom = Infinity;
  let measuredTo = Infinity;
  const mark = async () => {
    if (measuredFrom === Infinity) measuredFrom = Number(process.hrtime.bigint() / 1000n);
    else measuredTo = Number(process.hrtime.bigint() / 1000n);
  };
  const result = await measure(server.base, requests, { connections: 10, warmup: 2, duration: seconds, prime: endpoint?.prime, between: mark });
  await server.stop();

  const file = readdirSync(directory).find((entry) => entry.endsWith('.cpuprofile'));
  if (!file) throw new Error(`${name}: no profile written`);
  const profile = JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byPart = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, micros: number) => map.set(key, (map.get(key) ?? 0) + micros);
  let time = profile.startTime;
  profile.samples.forEach((sample, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    time += micros;
    if (time < measuredFrom || time > measuredTo) return;
    const { url, functionName, lineNumber } = nodes.get(sample)!.callFrame;
    if (functionName === '(idle)') return;
    const module = url.endsWith('dist/server.cjs') && bundle ? bundle.at(lineNumber) : url.replace(/^.*node_modules\//, 'node_modules/');
    const part = SOCKET.has(functionName)
      ? 'socket writes and their encoding'
      : url.startsWith('node:')
        ? 'node (http, streams, timers)'
        : url
          ? partOf(module)
          : functionName || '(native code)';
    add(byPart, part, micros);
    add(byFunction, url ? `${functionName || '(anonymous)'} ${module}:${lineNumber + 1}` : functionName || '(native code)', micros);
  });
  const answers = result.requests;
  for (const map of [byPart, byFunction]) for (const [key, micros] of map) map.set(key, micros / answers);
  const perAnswer = [...byPart.values()].reduce((sum, micros) => sum + micros, 0);
  return { byPart, byFunction, perAnswer, rps: result.rps, p99: result.p99 };
}

const env = production ? { NODE_ENV: 'production', LOG_LEVEL: 'info', LOG_FORMAT: 'json' } : undefined;
const mockArgs = ['dist/cli.js', '--port', '<port>', ...(production ? [] : ['--log-level', 'silent']), ...(users === undefined ? [] : ['--users', String(users)])];
let answersFile = '';
let floorContext: Context | undefined;
const mock = await profiled(
  'mock',
  mockArgs,
  env,
  async (base) => {
    const control = new Control(base);
    const context = await control.discover(users ?? 50, endpoint.name === 'fingerbank' ? Math.ceil((seconds + 4) * 300) : 0);
    const { answers } = await captureAnswers(base, control, [endpoint], context);
    answersFile = `${os.tmpdir()}/provider-mock-profile-floor-${process.pid}.json`;
    writeFileSync(answersFile, JSON.stringify(answers));
    floorContext = context;
    return context;
  },
  new BundleModules('dist/server.cjs'),
);
// with production logs, the floor logs each request with Fastify's defaults to a file: equal work
const floorName = production ? 'fastify floor (logging)' : 'fastify floor';
const floorArgs = ['bench/fastify-floor.mjs', '<port>', answersFile, ...(production ? ['logging'] : [])];
const floor = await profiled(floorName, floorArgs, production ? { NODE_ENV: 'production' } : undefined, async () => floorContext!);

function topFunctions(sampled: Sampled, count: number): string[] {
  return [...sampled.byFunction]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, micros]) => `| \`${name}\` | ${us(micros)} |`);
}
const us = (micros: number | undefined) => (micros === undefined ? '' : micros.toFixed(1));
const parts = [...new Set([...mock.byPart.keys(), ...floor.byPart.keys()])].sort((a, b) => (mock.byPart.get(b) ?? 0) - (mock.byPart.get(a) ?? 0));
const lines = [
  `Profile of \`${endpoint.name}\` (${endpoint.label}), ${users ?? 'default'} users, ${production ? 'production logs' : 'logging silent'}, ${seconds} s measured: the mock ${Math.round(mock.rps)} req/s (p99 ${mock.p99.toFixed(2)} ms) and ${us(mock.perAnswer)} µs of CPU per answer; the Fastify floor${production ? ' logging each request with its defaults' : ''} ${Math.round(floor.rps)} req/s and ${us(floor.perAnswer)} µs per answer (sampled every 100 µs while profiled, which slows both).`,
  '',
  '| part | mock µs per answer | floor µs per answer | above the floor |',
  '|---|---:|---:|---:|',
  ...parts
    .filter((part) => (mock.byPart.get(part) ?? 0) >= 0.05 || (floor.byPart.get(part) ?? 0) >= 0.05)
    .map((part) => `| ${part} | ${us(mock.byPart.get(part) ?? 0)} | ${us(floor.byPart.get(part) ?? 0)} | ${us((mock.byPart.get(part) ?? 0) - (floor.byPart.get(part) ?? 0))} |`),
  `| **all** | **${us(mock.perAnswer)}** | **${us(floor.perAnswer)}** | **${us(mock.perAnswer - floor.perAnswer)}** |`,
  '',
  '| function (mock) | µs per answer |',
  '|---|---:|',
  ...topFunctions(mock, 25),
  '',
  '| function (floor) | µs per answer |',
  '|---|---:|',
  ...topFunctions(floor, 10),
];
process.stdout.write(`${lines.join('\n')}\n`);
