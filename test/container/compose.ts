import { spawnSync } from 'node:child_process';
import { freePort } from '../production/image.js';
import { docker, run, uniqueName } from './docker.js';

/** Compose v2 (`docker compose`) where the engine has it, else v1.29 (`docker-compose`, Debian's). */
const v2 = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;

/**
 * A compose file run as a project of its own name, its balancer or mock published on a free loopback
 * port (PROVIDER_MOCK_PORT). `down()` removes it, volumes included; call it whatever the tests did.
 */
export async function composeProject(file: string, what: string) {
  const project = uniqueName(what);
  const port = await freePort();
  const env = { PROVIDER_MOCK_PORT: String(port) };
  // v1 honours deploy.replicas only with --compatibility; v2 always does
  const [command, ...first] = v2 ? ['docker', 'compose'] : ['docker-compose', '--compatibility'];
  const compose = (args: string[], timeoutMs?: number) => run(command!, [...first, '-p', project, '-f', file, ...args], env, timeoutMs);
  return {
    project,
    url: `http://127.0.0.1:${port}`,
    compose,
    /** The ids of a service's containers. */
    async containers(service: string): Promise<string[]> {
      return (await compose(['ps', '-q', service])).split('\n').filter(Boolean);
    },
    down: () => compose(['down', '-v', '--remove-orphans'], 120_000),
    /** Whatever of the project is still there: containers, networks, volumes. */
    async leftovers(): Promise<string[]> {
      const filter = ['--filter', `label=com.docker.compose.project=${project}`];
      const names = await Promise.all([
        docker(['ps', '-a', '--format', 'container {{.Names}}', ...filter]),
        docker(['network', 'ls', '--format', 'network {{.Name}}', ...filter]),
        docker(['volume', 'ls', '--format', 'volume {{.Name}}', ...filter]),
      ]);
      return names.join('\n').split('\n').filter(Boolean);
    },
  };
}

/** Polls the URL until it answers 200. */
export async function waitAnswers(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(url).then((response) => response.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
