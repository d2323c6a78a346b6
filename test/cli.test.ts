import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the command line on a free port; answers its base URL once the banner names it. */
function start(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--users', '0', '--log-level', 'silent', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no banner in time: ${output}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve(url);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

describe('the command line’s clock', () => {
  it('--clock starts the mock’s time at that instant, frozen', async () => {
    const url = await start(['--clock', '2026-06-30T23:59:00Z']);
    expect(await (await fetch(`${url}/__mock/clock`)).json()).toMatchObject({ now: '2026-06-30T23:59:00.000Z', frozen: true });
  }, 40_000);

  it('MOCK_CLOCK does the same from the environment', async () => {
    const url = await start([], { MOCK_CLOCK: '2027-01-01T00:00:00Z' });
    expect(await (await fetch(`${url}/__mock/clock`)).json()).toMatchObject({ now: '2027-01-01T00:00:00.000Z', frozen: true });
  }, 40_000);
});
