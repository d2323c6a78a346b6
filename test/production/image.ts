import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdir, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Stage, copiesOf, envOf, execForm, instructionsOf, readDockerfile, splitFlags } from './dockerfile.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const stages = readDockerfile(join(root, 'Dockerfile'));
/** The stage the image runs: the last one. */
export const runtime: Stage = stages.at(-1)!;

export function stageNamed(name: string): Stage {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`Dockerfile: no stage named ${name}`);
  return stage;
}

function workdirOf(stage: Stage): string {
  return instructionsOf(stage, 'WORKDIR').at(-1) ?? '/';
}

/** The runtime stage's CMD, exec form. */
export function command(): string[] {
  const args = execForm(instructionsOf(runtime, 'CMD').at(-1) ?? '');
  if (!args) throw new Error('Dockerfile: the runtime CMD is not in exec form');
  return args;
}

/** The HEALTHCHECK's command, exec form. */
export function healthcheck(): string[] {
  const { rest } = splitFlags(instructionsOf(runtime, 'HEALTHCHECK').at(-1) ?? '');
  const args = execForm(rest.replace(/^CMD\s+/, ''));
  if (!args) throw new Error('Dockerfile: the HEALTHCHECK is not an exec-form CMD');
  return args;
}

const run = promisify(execFile);

/**
 * Lays out in `dir` what the image holds at its WORKDIR, following the runtime stage: `npm run build`
 * (the build stage's command) writes dist/, and the COPY instructions bring in files from the build
 * context and from the build stage's dist/. The runtime stage installs nothing, so neither does this:
 * a RUN the test cannot reproduce fails it. Returns the folder to run the CMD in.
 */
export async function layOutImage(dir: string): Promise<string> {
  const built = join(dir, 'build');
  await run('npm', ['run', 'build', '--', '--outDir', built], { cwd: root, timeout: 170_000 });
  const buildDist = posix.join(workdirOf(stageNamed('build')), 'dist');
  const app = join(dir, 'app');
  await mkdir(app, { recursive: true });
  for (const copy of copiesOf(runtime)) {
    for (const source of copy.sources) {
      let from = join(root, source);
      if (copy.from !== undefined) {
        const inDist = posix.relative(buildDist, posix.resolve(workdirOf(stageNamed(copy.from)), source));
        if (copy.from !== 'build' || inDist.startsWith('..')) {
          throw new Error(`Dockerfile: the test knows only dist/ of the build stage, not ${copy.from}:${source}`);
        }
        from = join(built, inDist);
      }
      const to = copy.destination.endsWith('/') ? join(app, copy.destination, basename(source)) : join(app, copy.destination);
      await cp(from, to, { recursive: true });
    }
  }
  for (const line of instructionsOf(runtime, 'RUN')) throw new Error(`Dockerfile: the test cannot reproduce RUN ${line}`);
  return app;
}

/** Every file under `dir`, relative to it, with / between folders. */
export async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

export interface RunningImage {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** What was written to stdout alone. */
  stdout(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const started = new Set<ChildProcess>();

/** What the image would run: its CMD in its WORKDIR with its ENV, on loopback and a free port. */
export async function startImage(app: string, env: Record<string, string> = {}): Promise<RunningImage> {
  const port = await freePort();
  const [program, ...args] = command();
  const child = spawn(program === 'node' ? process.execPath : program!, args, {
    cwd: app,
    env: { PATH: process.env.PATH ?? '', ...envOf(runtime), HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return { child, port, url: `http://127.0.0.1:${port}`, output: () => output, stdout: () => stdout, exited };
}

/** Runs the image's HEALTHCHECK command against a server on `port`; resolves with its exit code. */
export function runHealthcheck(port: number): Promise<number | null> {
  const [program, ...args] = healthcheck();
  const child = spawn(program === 'node' ? process.execPath : program!, args, {
    env: { PATH: process.env.PATH ?? '', ...envOf(runtime), PORT: String(port) },
    stdio: 'ignore',
  });
  started.add(child);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Polls the health endpoint until it answers 200; fails early if the process ends. */
export async function waitHealthy(image: RunningImage, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void image.exited.then(() => (ended = true));
  while (Date.now() < deadline) {
    if (ended) throw new Error(`the server exited before it was healthy:\n${image.output()}`);
    const ok = await fetch(`${image.url}/__mock/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not healthy after ${timeoutMs} ms:\n${image.output()}`);
}

/** Waits until the process has written `text`. */
export async function waitForOutput(image: RunningImage, text: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!image.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`no '${text}' after ${timeoutMs} ms:\n${image.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Kills whatever this module started and is still running. */
export function killStarted(): void {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  started.clear();
}
