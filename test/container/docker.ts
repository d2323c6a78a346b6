import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from '../production/image.js';

export { root };

/** The tag the compose files use and `docker build -t provider-mock .` makes. */
export const IMAGE = 'provider-mock';
export const BASE_IMAGE = 'node:24-slim';

const required = process.env.REQUIRE_DOCKER === '1';
const answers = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 20_000 }).status === 0;

/**
 * Whether a container test is skipped: only when no Docker engine answers and none is required
 * (REQUIRE_DOCKER=1, set by .ci/run, which starts one, turns its absence into a failure). Says so when it is.
 */
export function skippedWithoutDocker(what: string): boolean {
  const skipped = !answers && !required;
  if (skipped) {
    console.warn(`${what} skipped: no Docker engine answers \`docker info\` (start one; .ci/run does, and sets REQUIRE_DOCKER=1)`);
  }
  return skipped;
}

const exec = promisify(execFile);

/** Runs docker (or docker-compose) to its end; rejects with its standard error when it fails. */
export async function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 300_000): Promise<string> {
  try {
    const { stdout } = await exec(command, args, { cwd: root, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr || stdout || (error as Error).message}`);
  }
}

export const docker = (args: string[], timeoutMs?: number) => run('docker', args, {}, timeoutMs);

/** A name no other run on this engine uses: containers, networks and compose projects of this run. */
export function uniqueName(what: string): string {
  return `provider-mock-test-${what}-${process.pid}-${Date.now().toString(36)}`;
}

/** Whether another test file of this run is building the image: one build at a time, the later ones from its cache. */
const LOCK = join(tmpdir(), `provider-mock-image-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);

/**
 * `docker build -t provider-mock .` from this folder. When .ci/run (or an earlier test file) built
 * the same files, every step comes from the cache and it takes seconds.
 */
export async function buildImage(): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // a lock left by a run that was killed is older than any build
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${LOCK}: another build did not end in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    await docker(['build', '-q', '-t', IMAGE, '.'], 600_000);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

/** A container's JSON as `docker inspect` gives it. */
export async function inspect(id: string): Promise<any> {
  return (JSON.parse(await docker(['inspect', id])) as unknown[])[0];
}

/** The host address Docker published a container port on: `http://127.0.0.1:<port>`. */
export async function publishedUrl(id: string, port = 4010): Promise<string> {
  const bindings = (await inspect(id)).NetworkSettings.Ports[`${port}/tcp`] as { HostIp: string; HostPort: string }[];
  return `http://127.0.0.1:${bindings[0]!.HostPort}`;
}

/** Waits until Docker reports the container's HEALTHCHECK healthy; fails if it stops or reports unhealthy. */
export async function waitHealthy(id: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await inspect(id)).State;
    if (state.Health?.Status === 'healthy') return;
    if (!state.Running || state.Health?.Status === 'unhealthy' || Date.now() > deadline) {
      const logs = await docker(['logs', '--tail', '30', id]).catch(() => '');
      throw new Error(`container ${id} is ${state.Status}, health ${state.Health?.Status}:\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** `docker run -d` of the image with its port published on a free loopback port, labelled for cleanup. */
export async function runMock(label: string, options: { env?: Record<string, string>; port?: number; args?: string[] } = {}) {
  const port = options.port ?? 4010;
  const env = Object.entries(options.env ?? {}).flatMap(([name, value]) => ['-e', `${name}=${value}`]);
  const id = (await docker(['run', '-d', '--label', label, '-p', `127.0.0.1::${port}`, ...env, ...(options.args ?? []), IMAGE])).trim();
  return { id, url: await publishedUrl(id, port) };
}

/** Removes every container and network with the label, whatever happened to the tests. */
export async function removeLabelled(label: string): Promise<void> {
  const containers = (await docker(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
  const networks = (await docker(['network', 'ls', '-q', '--filter', `label=${label}`])).split('\n').filter(Boolean);
  if (networks.length > 0) await docker(['network', 'rm', ...networks]);
}
