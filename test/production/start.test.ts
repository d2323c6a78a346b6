import { execFileSync, spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshClone, killListening, startListening } from './fresh-clone.js';
import { freePort } from './image.js';

let dir = '';
let clone = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provider-mock-start-'));
  clone = await freshClone(join(dir, 'clone'));
}, 60_000);

afterAll(async () => {
  killListening();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `npm start` without npm: the script it runs, on a free port, until the mock answers. */
async function start(): Promise<{ stdout: string; stderr: string; health: number }> {
  const server = await startListening(process.execPath, ['scripts/start.mjs', '--port', '0', '--log-level', 'silent'], clone);
  const health = (await fetch(`${server.url}/__mock/health`)).status;
  await server.stop();
  return { ...server.output(), health };
}

describe('npm start (scripts/start.mjs)', () => {
  it('bundles a fresh clone once, then starts the bundle as it is until the source changes', async () => {
    const first = await start();
    expect(first.health).toBe(200);
    expect(first.stderr).toMatch(/bundled src\/ into dist\/server\.cjs/);

    // the first run wrote the code cache that later runs load the bundle with
    const cache = await stat(join(clone, 'dist/server.cjs.v8-cache'));
    const second = await start();
    expect(second.health).toBe(200);
    expect(second.stderr).not.toMatch(/bundled/);
    expect((await stat(join(clone, 'dist/server.cjs.v8-cache'))).mtimeMs).toBe(cache.mtimeMs);

    await appendFile(join(clone, 'src/cli.ts'), "\nprocess.stderr.write('the edited source runs\\n');\n");
    const edited = await start();
    expect(edited.stderr).toMatch(/bundled src\/ into dist\/server\.cjs/);
    expect(edited.stderr).toContain('the edited source runs');
    expect(edited.health).toBe(200);
  }, 90_000);

  it('never loads the bundle with the code cache of another one, even of the same length', async () => {
    await start();
    const bundle = join(clone, 'dist/server.cjs');
    const text = await readFile(bundle, 'utf8');
    await writeFile(bundle, text.replace('provider-mock listening on', 'provider-mocK listening on'));
    const changed = await start();
    expect(changed.stdout).toContain('provider-mocK listening on');
    expect(changed.health).toBe(200);
  }, 60_000);

  it('rebuilds when a file under src/ is newer than the bundle, even one only touched', async () => {
    await start();
    const past = new Date(Date.now() - 60_000);
    await utimes(join(clone, 'dist/server.cjs'), past, past);
    expect((await start()).stderr).toMatch(/bundled/);
  }, 60_000);
});

/** Every process below `pid`, as `ps` shows them now. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((row) => row.trim().split(/\s+/).map(Number) as [number, number]);
  const below = (parent: number): number[] => rows.filter(([, ppid]) => ppid === parent).flatMap(([child]) => [child, ...below(child)]);
  return below(pid);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  it('stops on a SIGTERM to npm alone: the port closes and no process of it remains', async () => {
    const port = await freePort();
    const npm = spawn('npm', ['start', '--', '--log-level', 'silent'], { cwd: clone, env: { ...process.env, PORT: String(port) }, detached: true, stdio: 'ignore' });
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    let started: number[] = [];
    try {
      for (let attempt = 0; !(await fetch(`http://127.0.0.1:${port}/__mock/health`).then((r) => r.ok, () => false)); attempt++) {
        if (attempt > 300 || npm.exitCode !== null) throw new Error('npm start did not answer');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      started = descendants(npm.pid!);
      expect(started.length).toBeGreaterThan(0);
      process.kill(npm.pid!, 'SIGTERM');
      await exited;
      for (let attempt = 0; started.some(alive) && attempt < 100; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(started.filter(alive)).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${port}/__mock/health`)).rejects.toThrow();
    } finally {
      for (const pid of [npm.pid!, ...started].filter(alive)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
