/**
 * Two or more builds of the mock side by side, with the Fastify floor: each a directory made by
 * `npm run build` and copied aside into `.compare/` (inside the checkout, so that its packages
 * resolve; git ignores it), loaded in turn endpoint by endpoint, round after round; prints the
 * median CPU per answer (µs) and req/s.
 * Usage: npm run bench:compare -- .compare/a,.compare/b <endpoint,...> [rounds] [seconds] [silent]
 * (production logs unless the last argument is `silent`). For deciding whether a mechanism earns its
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
const contexts = await Promise.all(servers.map((s) => new Control(s.base).discover(50, 20000)));
const { answers } = await captureAnswers(servers[0]!.base, new Control(servers[0]!.base), endpoints, contexts[0]!);
const file = `${os.tmpdir()}/provider-mock-compare-floor.json`;
writeFileSync(file, JSON.stringify(answers));
const fport = await freePort();
const floor = await startServer({ name: 'floor', command: process.execPath, args: ['bench/fastify-floor.mjs', String(fport), file], port: fport, probe: PROBE, timeoutMs: 30_000 });
const table = new Map<string, { cpu: number[]; rps: number[] }>();
for (let r = 0; r < rounds; r++) {
  for (const endpoint of endpoints) {
    const all = [...servers.map((s, i) => [variants[i]!, s, contexts[i]!] as const), ['floor', floor, contexts[0]!] as const];
    for (const [name, server, context] of all) {
      const res = await measure(server.base, endpoint.requests(context), { connections: 10, warmup: 1, duration, cpuMs: server.cpuMs, prime: endpoint.prime });
      const key = `${endpoint.name} ${name}`;
      const row = table.get(key) ?? { cpu: [], rps: [] };
      row.cpu.push(res.cpuUs ?? NaN); row.rps.push(res.rps); table.set(key, row);
      if (res.statuses['500']) console.error('500s!', key);
    }
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [key, row] of table) console.log(`${key.padEnd(40)} cpu/answer ${med(row.cpu).toFixed(1).padStart(6)} µs   rps ${Math.round(med(row.rps))}   cpu: ${row.cpu.map((c) => c.toFixed(0)).join(' ')}`);
for (const s of [...servers, floor]) await s.stop();
