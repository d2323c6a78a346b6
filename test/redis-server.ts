import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** Debian's redis-server, or the one REDIS_SERVER_PATH names. */
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
const present = existsSync(REDIS_SERVER);
const required = process.env.REQUIRE_REDIS === '1';

/**
 * Whether a shared-state test is skipped: only when redis-server is absent and not required
 * (REQUIRE_REDIS=1, set by .ci/run, which installs it, turns its absence into a failure). Says so when it is.
 */
export function skippedWithoutRedis(what: string): boolean {
  const skipped = !present && !required;
  if (skipped) {
    console.warn(`${what} skipped: ${REDIS_SERVER} is absent (apt-get install redis-server; .ci/run installs it and sets REQUIRE_REDIS=1)`);
  }
  return skipped;
}

/** A port free on the loopback interface now, never Redis's default 6379. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    if (port !== 6379) return port;
  }
}

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (its data is lost: it keeps nothing on disk). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Sends the server a signal: SIGSTOP pauses it, SIGCONT resumes it. */
  signal(signal: NodeJS.Signals): void;
}

/**
 * A redis-server of the test's own on a free loopback port, with no persistence, stopped by
 * `stop()`; `settings` are more of its command-line options (`['--maxmemory-policy', 'allkeys-lru']`).
 */
export async function startRedis(settings: string[] = []): Promise<TestRedis> {
  if (!present) throw new Error(`REQUIRE_REDIS=1 but ${REDIS_SERVER} is missing (apt-get install redis-server)`);
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...settings], {
      stdio: 'ignore',
    });
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.connect();
          await client.ping();
          return;
        } catch (error) {
          if (attempt >= 100) throw new Error(`redis-server did not answer on port ${port}: ${(error as Error).message}`);
          client.disconnect();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    } finally {
      client.disconnect();
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  const signal = (name: NodeJS.Signals) => void child?.kill(name);
  return { url: `redis://127.0.0.1:${port}`, port, stop, start, signal };
}
