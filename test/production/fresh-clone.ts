import { execFile, spawn } from 'node:child_process';
import { cp, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './image.js';

const run = promisify(execFile);

/**
 * What `git clone` then `npm ci` gives, in `dir`: the files git tracks (and the new ones it does not
 * ignore, so that uncommitted work is tried too), no dist/, and this project's node_modules linked
 * rather than installed again. Returns the folder.
 */
export async function freshClone(dir: string): Promise<string> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = stdout.split('\0').filter((file) => file !== '' && existsSync(join(root, file)));
  for (const file of files) await cp(join(root, file), join(dir, file));
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, without a shell; never rejects, so that a test can look at what failed. */
export function runToEnd(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface Listening {
  url: string;
  output(): { stdout: string; stderr: string };
  /** SIGTERM to the command and all it started; resolves once it has ended. */
  stop(): Promise<void>;
}

const groups = new Set<number>();

/** Starts a command that runs the mock (it may be npx or npm, which start node in turn) and waits for its banner's URL. */
export async function startListening(command: string, args: string[], cwd: string, timeoutMs = 30_000): Promise<Listening> {
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  groups.add(child.pid!);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    groups.delete(child.pid!);
  };
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (!(url = /listening on (http:\/\/[^\s"]+)/.exec(stdout)?.[1])) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`${command} ${args.join(' ')} did not start:\n${stdout}\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { url, output: () => ({ stdout, stderr }), stop };
}

/** Kills what startListening started and is still running. */
export function killListening(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
}
