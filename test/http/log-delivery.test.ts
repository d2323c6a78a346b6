import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const REQUESTS = 300;
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** The server as a process, its standard output into a file as a log collector takes it. */
async function startLogging(): Promise<{ base: string; log: string; stop: () => Promise<number | null> }> {
  const dir = await mkdtemp(join(tmpdir(), 'provider-mock-logs-'));
  dirs.push(dir);
  const log = join(dir, 'stdout.log');
  const out = await open(log, 'w');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0'], {
    stdio: ['ignore', out.fd, 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
  });
  await out.close();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(await readFile(log, 'utf8'))?.[1];
    if (port) {
      return {
        base: `http://127.0.0.1:${port}`,
        log,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start within 30 s');
}

describe('request log lines written asynchronously', () => {
  it('every request has its line, in the order answered, none lost when the server stops', async () => {
    const server = await startLogging();
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${server.base}/v3/users?n=${i}`, { headers: { authorization: 'Basic QUFBWFhYWFhYWFhYWFhYOg==' } });
      await response.arrayBuffer();
    }
    expect(await server.stop()).toBe(0);
    const lines = (await readFile(server.log, 'utf8')).split('\n').filter((line) => line.startsWith('{'));
    const requests = lines.map((line) => JSON.parse(line) as { url?: string; status?: number }).filter((entry) => entry.url?.startsWith('/v3/users'));
    expect(requests.map((entry) => entry.url)).toEqual(Array.from({ length: REQUESTS }, (_, i) => `/v3/users?n=${i}`));
    expect(new Set(requests.map((entry) => entry.status))).toEqual(new Set([200]));
  }, 60_000);
});
