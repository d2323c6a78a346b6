import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Pinning, pinned } from './cpus.js';

export const HOST = '127.0.0.1';

const running = new Set<ChildProcess>();

let pinning: Pinning | null = null;

/** Every server started from now on runs on these cores. */
export function pinServers(cores: Pinning | null): void {
  pinning = cores;
}

/** Every server the bench started is stopped when it ends, however it ends. */
function stopAllNow(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', stopAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    stopAllNow();
    process.exit(130);
  });
}

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ProbeRequest {
  path: string;
  headers?: Record<string, string>;
}

export interface Server {
  name: string;
  base: string;
  pid: number;
  /** Milliseconds from spawning the process to the first 200 answer to the probe. */
  startupMs: number;
  stop(): Promise<void>;
  /** Resident memory now and at its peak, in MB (Linux /proc). */
  memory(): { rssMb: number; peakMb: number };
  /** What the process wrote to stderr, for a failure report. */
  errors(): string;
  /** CPU time the process has used so far (user and system), milliseconds; NaN where /proc is missing. */
  cpuMs(): number;
}

export interface StartSpec {
  name: string;
  command: string;
  args: string[];
  port: number;
  probe: ProbeRequest;
  /** Gives up after this long. */
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** A file that takes the server's standard output (its log lines); discarded when absent. */
  stdoutFile?: string;
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
    return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

/** Linux counts CPU time in ticks of 1/100 s (USER_HZ) on every architecture it runs on. */
const TICK_MS = 10;

export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

export interface Spawned {
  child: ChildProcess;
  exited(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited 3 s later; settles once it has. */
  stop(): Promise<void>;
}

/**
 * Spawns a server process on the servers' cores; it is killed when the bench ends, however it
 * ends, unless it has exited before.
 */
export function spawnServer(command: string, args: string[], options: SpawnOptions): Spawned {
  const started = pinned(pinning, command, args);
  const child = spawn(started.command, started.args, options);
  running.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    running.delete(child);
  });
  const stop = async () => {
    if (exited) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const late = setTimeout(() => child.kill('SIGKILL'), 3000);
    await gone;
    clearTimeout(late);
  };
  return { child, exited: () => exited, stop };
}

/** Starts a server process and waits, polling every few milliseconds, for its first 200 to the probe. */
export async function startServer(spec: StartSpec): Promise<Server> {
  const base = `http://${HOST}:${spec.port}`;
  const started = performance.now();
  const stdout = spec.stdoutFile === undefined ? 'ignore' : openSync(spec.stdoutFile, 'w');
  const { child, exited, stop } = spawnServer(spec.command, spec.args, {
    stdio: ['ignore', stdout, 'pipe'],
    env: { ...process.env, ...spec.env },
  });
  if (typeof stdout === 'number') closeSync(stdout);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  for (;;) {
    if (exited()) throw new Error(`${spec.name} exited before answering: ${stderr}`);
    if (performance.now() - started > spec.timeoutMs) {
      await stop();
      throw new Error(`${spec.name} did not answer 200 within ${spec.timeoutMs} ms: ${stderr}`);
    }
    try {
      const response = await fetch(`${base}${spec.probe.path}`, { headers: spec.probe.headers });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  const startupMs = performance.now() - started;
  return {
    name: spec.name,
    base,
    pid: child.pid ?? -1,
    startupMs,
    stop,
    memory: () => memoryOf(child.pid ?? -1),
    cpuMs: () => cpuMsOf(child.pid ?? -1),
    errors: () => stderr,
  };
}
