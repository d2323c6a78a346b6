import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Control } from './control.js';
import { ENDPOINTS, PROBE } from './endpoints.js';
import { measure } from './load.js';
import { freePort, startServer } from './processes.js';

/**
 * Where one endpoint's time goes: the production start (`node dist/cli.js`, built beforehand by
 * `npm run bench` or `npm run build`) under `--cpu-prof`, loaded for a while, then its samples
 * summed by package and by function. Usage: npm run bench:profile -- <endpoint> [--users N] [--seconds S]
 * [--production] (the image's settings: NODE_ENV=production, JSON logs at info to a file, instead of silent)
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

const directory = mkdtempSync(`${os.tmpdir()}/provider-mock-profile-`);
const port = await freePort();
const production = values.production === true;
const args = ['--cpu-prof', `--cpu-prof-dir=${directory}`, 'dist/cli.js', '--port', String(port), ...(production ? [] : ['--log-level', 'silent'])];
if (users !== undefined) args.push('--users', String(users));
const server = await startServer({
  name: 'mock',
  command: process.execPath,
  args,
  port,
  probe: PROBE,
  timeoutMs: 120_000,
  ...(production
    ? { env: { NODE_ENV: 'production', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stdoutFile: `${directory}/server.log` }
    : {}),
});
const context = await new Control(server.base).discover(users ?? 50, endpoint.name === 'fingerbank' ? Math.ceil((seconds + 3) * 300) : 0);
// V8's sample times and process.hrtime are both the monotonic clock: keep only the load's samples
const loadStart = Number(process.hrtime.bigint() / 1000n);
const result = await measure(server.base, endpoint.requests(context), { connections: 10, warmup: 2, duration: seconds, prime: endpoint.prime });
await server.stop();

const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(`${directory}/${file}`, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
let time = profile.startTime;
profile.samples.forEach((sample, i) => {
  const node = nodes.get(sample)!;
  const micros = profile.timeDeltas[i] ?? 0;
  time += micros;
  if (time < loadStart) return;
  total += micros;
  const { url, functionName, lineNumber } = node.callFrame;
  const module = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  const where =
    module ?? (url.startsWith('node:') ? 'node (http, streams, timers)' : url ? url.replace(/^.*\/dist\//, 'dist/') : functionName || '(native code)');
  const place = url
    ? `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`
    : functionName || '(native code)';
  byPackage.set(where, (byPackage.get(where) ?? 0) + micros);
  byFunction.set(place, (byFunction.get(place) ?? 0) + micros);
});

const busy = total - (byPackage.get('(idle)') ?? 0);
const share = (micros: number) => `${((100 * micros) / busy).toFixed(1)} %`;
const top = (map: Map<string, number>, count: number) =>
  [...map].filter(([name]) => name !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, count);
const lines = [
  `Profile of \`${endpoint.name}\` (${endpoint.label}), ${users ?? 'default'} users, ${production ? 'production logs' : 'logging silent'}: ${Math.round(result.rps)} req/s, p99 ${result.p99.toFixed(2)} ms while profiled; ${(busy / 1000).toFixed(0)} ms of CPU sampled (idle, start-up and set-up excluded).`,
  '',
  '| where | share of CPU |',
  '|---|---:|',
  ...top(byPackage, 12).map(([name, micros]) => `| ${name} | ${share(micros)} |`),
  '',
  '| function | share of CPU |',
  '|---|---:|',
  ...top(byFunction, 20).map(([name, micros]) => `| \`${name}\` | ${share(micros)} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
