/**
 * Two or more builds of the mock side by side, with the Fastify floor: each a directory made by
 * `npm run build` and copied aside into `.compare/` (inside the checkout, so that its packages
 * resolve; git ignores it), loaded in turn endpoint by endpoint, round after round; prints the
 * median CPU per answer (µs) and req/s, and the median of each round's ratio to the floor's req/s.
 * Usage: npm run bench:compare -- .compare/a,.compare/b <endpoint,...> [rounds] [seconds] [silent]
 * (production logs, against the floor logging each request with Fastify's defaults, unless the last
 * argument is `silent`, against the silent floor). For deciding whether a mechanism earns its
 * place: build with and without it, then compare.
 */
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { captureAnswers } from './capture.js';
import { Control } from './control.js';
import { ENDPOINTS, PROBE } from './endpoints.js';
import { measure } from './load.js';
import { freePort, startServer, type Server } from './processes.js';

const [variantsArg, endpointsArg, roundsArg, durationArg, modeArg] = process.argv.slice(2);
const variants = variantsArg!.split(',');
const endpoints = ENDPOINTS.filter((e) => endpointsArg!.split(',').includes(e.name));
const rounds = Number(roundsArg ?? 3);
const duration = Number(durationArg ?? 2);
const production = modeArg !== 'silent';
async function start(dir: string): Promise<Server> {
  const port = await freePort();
  return startServer({
    name: dir, command: process.execPath, args: [`${dir}/cli.js`, '--port', String(port), ...(production ? [] : ['--log-level', 'silent'])], port, probe: PROBE, timeoutMs: 60_000,
    ...(production ? { env: { NODE_ENV: 'production', LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, stdoutFile: `${os.tmpdir()}/provider-mock-compare-${port}.log` } : {}),
  });
}
const servers = await Promise.all(variants.map(start));
// enough Fingerbank keys that none reaches its 250 calls a minute over the rounds; autocannon
// with tens of thousands of distinct requests slowed the load generator to a few hundred per second
const keys = endpoints.some((e) => e.name === 'fingerbank') ? 4000 : 0;
const contexts = await Promise.all(servers.map((s) => new Control(s.base).discover(50, keys)));
const { answers } = await captureAnswers(servers[0]!.base, new Control(servers[0]!.base), endpoints, contexts[0]!);
const file = `${os.tmpdir()}/provider-mock-compare-floor.json`;
writeFileSync(file, JSON.stringify(answers));
const fport = await freePort();
const floor = await startServer({
  name: 'floor', command: process.execPath, args: ['bench/fastify-floor.mjs', String(fport), file, ...(production ? ['logging'] : [])], port: fport, probe: PROBE, timeoutMs: 30_000,
  ...(production ? { env: { NODE_ENV: 'production' }, stdoutFile: `${os.tmpdir()}/provider-mock-compare-${fport}.log` } : {}),
});
const table = new Map<string, { cpu: number[]; rps: number[]; ratio: number[] }>();
for (let r = 0; r < rounds; r++) {
  for (const endpoint of endpoints) {
    const all = [...servers.map((s, i) => [variants[i]!, s, contexts[i]!] as const), ['floor', floor, contexts[0]!] as const];
    const measured = [];
    for (const [name, server, context] of all) {
      const res = await measure(server.base, endpoint.requests(context), { connections: 10, warmup: 1, duration, cpuMs: server.cpuMs, prime: endpoint.prime });
      measured.push([`${endpoint.name} ${name}`, res] as const);
      if (res.statuses['500']) console.error('500s!', `${endpoint.name} ${name}`);
    }
    const floorRps = measured.at(-1)![1].rps;
    for (const [key, res] of measured) {
      const row = table.get(key) ?? { cpu: [], rps: [], ratio: [] };
      row.cpu.push(res.cpuUs ?? NaN); row.rps.push(res.rps); row.ratio.push(res.rps / floorRps); table.set(key, row);
    }
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [key, row] of table) console.log(`${key.padEnd(40)} cpu/answer ${med(row.cpu).toFixed(1).padStart(6)} µs   rps ${Math.round(med(row.rps))}   ÷ floor ${med(row.ratio).toFixed(2)}   cpu: ${row.cpu.map((c) => c.toFixed(0)).join(' ')}`);
for (const s of [...servers, floor]) await s.stop();
