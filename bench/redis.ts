import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { HOST, cpuMsOf, freePort, spawnServer } from './processes.js';

export interface BenchRedis {
  /** `redis://127.0.0.1:<port>/0`, as `--state-url` takes it. */
  url: string;
  pid: number;
  /** CPU time Redis has used so far (user and system), milliseconds. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** REDIS_SERVER_PATH, or redis-server on the PATH (Debian's package puts it in /usr/bin). */
export function findRedisServer(): string {
  const named = process.env.REDIS_SERVER_PATH;
  if (named) {
    if (existsSync(named)) return named;
    throw new Error(`REDIS_SERVER_PATH names ${named}, which does not exist`);
  }
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, 'redis-server');
    if (folder && existsSync(candidate)) return candidate;
  }
  throw new Error(
    "--replicas needs redis-server, and none was found on the PATH: install Debian's redis-server (apt-get install redis-server), or name one with REDIS_SERVER_PATH",
  );
}

/** The version `redis-server --version` states, e.g. 7.0.15. */
export function redisVersion(): string {
  const stated = execFileSync(findRedisServer(), ['--version'], { encoding: 'utf8' });
  return /v=(\S+)/.exec(stated)?.[1] ?? stated.trim();
}

/** A loopback port free now, never Redis's default 6379, which another Redis may want. */
async function portBesidesDefault(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 6379) return port;
  }
}

/**
 * A redis-server of the bench's own on a free loopback port, on the servers' cores, keeping nothing
 * on disk; stopped by `stop()`, and killed with every other server when the bench ends.
 */
export async function startRedis(): Promise<BenchRedis> {
  const command = findRedisServer();
  const port = await portBesidesDefault();
  const { child, exited, stop } = spawnServer(command, ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const client = new Redis({ host: HOST, port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  client.on('error', () => {});
  try {
    for (let attempt = 0; ; attempt++) {
      if (exited()) throw new Error(`redis-server exited before answering: ${output}`);
      try {
        await client.connect();
        await client.ping();
        break;
      } catch (error) {
        if (attempt >= 100) throw new Error(`redis-server did not answer on port ${port}: ${(error as Error).message} ${output}`);
        client.disconnect();
        await sleep(50);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.disconnect();
  }
  const pid = child.pid ?? -1;
  return { url: `redis://${HOST}:${port}/0`, pid, cpuMs: () => cpuMsOf(pid), stop };
}
