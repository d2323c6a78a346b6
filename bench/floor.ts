import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Answer } from './capture.js';
import { PROBE } from './endpoints.js';
import { type Server, freePort, startServer } from './processes.js';

export interface FloorOptions {
  /** Logs each request with Fastify's defaults, to a file. */
  logging?: boolean;
  /** One round trip to this Redis per answer, under keys of this prefix (see bench/fastify-floor.mjs). */
  redis?: { url: string; prefix: string };
  /** Names the process in errors; `fastify floor` unless given. */
  name?: string;
}

/** The Fastify floor (bench/fastify-floor.mjs) answering the mock's captured answers. */
export async function startFloor(answers: Answer[], options: FloorOptions = {}): Promise<Server> {
  const port = await freePort();
  const file = `${os.tmpdir()}/provider-mock-floor-${process.pid}.json`;
  writeFileSync(file, JSON.stringify(answers));
  const { logging = false, redis } = options;
  const flags = [...(logging ? ['logging'] : []), ...(redis ? [`redis=${redis.url}`, `prefix=${redis.prefix}`] : [])];
  return startServer({
    name: options.name ?? (logging ? 'fastify floor (logging)' : 'fastify floor'),
    command: process.execPath,
    args: ['bench/fastify-floor.mjs', String(port), file, ...flags],
    port,
    probe: PROBE,
    timeoutMs: 30_000,
    ...(logging ? { stdoutFile: `${os.tmpdir()}/provider-mock-floor-${process.pid}.log` } : {}),
  });
}
