import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { BOB_KEY } from '../providers/fingerbank/accounts.js';
import {
  BASE_IMAGE,
  IMAGE,
  buildImage,
  docker,
  inspect,
  packageVersion,
  removeLabelled,
  run,
  runMock,
  skippedWithoutDocker,
  uniqueName,
  waitHealthy,
} from './docker.js';
import { replayExample } from './examples.js';

const LABEL = `provider-mock-test=${uniqueName('image')}`;
const examples = providers.flatMap((provider) => readExamples(provider.slug).map(({ file, example }) => [file, example] as const));

/** Each of its standard output and standard error, as `docker logs` gives them. */
async function logs(id: string): Promise<{ stdout: string; stderr: string }> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve, reject) =>
    execFile('docker', ['logs', id], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => (error ? reject(error) : resolve({ stdout, stderr }))),
  );
}

describe.skipIf(skippedWithoutDocker('The image tests'))('the image, built and run by Docker', { timeout: 60_000 }, () => {
  beforeAll(buildImage, 900_000);
  afterAll(() => removeLabelled(LABEL), 60_000);

  describe('as built', () => {
    it('is labelled with its source, version and licence (OCI), and carries the licence', async () => {
      const labels = (await docker(['image', 'inspect', '-f', '{{json .Config.Labels}}', IMAGE])).trim();
      expect(JSON.parse(labels)).toMatchObject({
        'org.opencontainers.image.source': expect.stringMatching(/^https:\/\//),
        'org.opencontainers.image.version': packageVersion,
        'org.opencontainers.image.licenses': 'MIT',
      });
      const licence = await docker(['run', '--rm', '--label', LABEL, '--entrypoint', 'head', IMAGE, '-n', '1', 'LICENSE']);
      expect(licence.trim()).toBe('MIT License');
    });

    it(`adds at most 20 MB to its base, ${BASE_IMAGE}`, async () => {
      const size = async (image: string) => Number(await docker(['image', 'inspect', '-f', '{{.Size}}', image]));
      const added = (await size(IMAGE)) - (await size(BASE_IMAGE));
      expect(added).toBeGreaterThan(0);
      expect(added).toBeLessThanOrEqual(20 * 1024 * 1024);
    });
  });

  describe('run with its defaults', () => {
    let mock: { id: string; url: string };

    beforeAll(async () => {
      // as few generated users as the in-process replay of the examples (test/helpers.ts makeApp)
      mock = await runMock(LABEL, { env: { MOCK_USERS: '5' } });
      await waitHealthy(mock.id);
    }, 90_000);

    it('reports healthy by its HEALTHCHECK; /__mock/health answers 200', async () => {
      expect((await inspect(mock.id)).State.Health.Status).toBe('healthy');
      const health = await fetch(`${mock.url}/__mock/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
    });

    it('runs its server as the unprivileged node user, not root', async () => {
      // the owner of process 1, the server itself
      const uid = await docker(['exec', mock.id, 'node', '-e', "process.stdout.write(String(require('fs').statSync('/proc/1').uid))"]);
      expect(uid).toBe('1000');
      expect((await inspect(mock.id)).Config.User).toBe('node');
    });

    it.each(examples)('answers the documented example %s as documented', async (_file, example) => {
      await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
      const answer = await replayExample(mock.url, example);
      expect(answer).toEqual({ status: example.response.status, body: example.response.body });
    });

    it('writes nothing but JSON lines on standard output, the start-up banner among them, and nothing on standard error', async () => {
      await fetch(`${mock.url}/nowhere`);
      const { stdout, stderr } = await logs(mock.id);
      const lines = stdout.trimEnd().split('\n');
      expect(lines.length).toBeGreaterThan(3);
      for (const line of lines) expect(JSON.parse(line), line).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
      expect(lines.some((line) => line.includes('"providers"'))).toBe(true);
      expect(stderr).toBe('');
    });

    it('exits 0 within 2 s of SIGTERM (docker stop)', async () => {
      const signalledAt = Date.now();
      await docker(['kill', '--signal', 'SIGTERM', mock.id]);
      const code = (await docker(['wait', mock.id])).trim();
      expect(Date.now() - signalledAt).toBeLessThan(2_000);
      expect(code).toBe('0');
    });
  });

  describe('configured by environment: PORT, SEED, MOCK_USERS, MOCK_ADMIN_TOKEN, MOCK_CORS, MOCK_STATE_URL', () => {
    const TOKEN = 'container-admin-token';
    const ORIGIN = 'http://app.example';
    const redisName = uniqueName('redis');
    let mock: { id: string; url: string };

    beforeAll(async () => {
      const network = uniqueName('net');
      await docker(['network', 'create', '--label', LABEL, network]);
      await docker(['run', '-d', '--label', LABEL, '--network', network, '--name', redisName, 'redis:7-alpine', 'redis-server', '--save', '', '--appendonly', 'no']);
      for (let attempt = 0; (await run('docker', ['exec', redisName, 'redis-cli', 'ping']).catch(() => '')).trim() !== 'PONG'; attempt++) {
        if (attempt > 100) throw new Error('redis did not answer');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const env = {
        PORT: '5000',
        SEED: '7',
        MOCK_USERS: '5',
        MOCK_ADMIN_TOKEN: TOKEN,
        MOCK_CORS: ORIGIN,
        MOCK_STATE_URL: `redis://${redisName}:6379/0`,
        MOCK_STATE_PREFIX: 'container-test',
      };
      mock = await runMock(LABEL, { env, port: 5000, args: ['--network', network] });
      await waitHealthy(mock.id);
    }, 90_000);

    it('listens on PORT, where its HEALTHCHECK asks too', async () => {
      expect((await inspect(mock.id)).State.Health.Status).toBe('healthy');
      expect((await fetch(`${mock.url}/__mock/health`)).status).toBe(200);
    });

    it('asks the control plane for MOCK_ADMIN_TOKEN', async () => {
      expect((await fetch(`${mock.url}/__mock/accounts`)).status).toBe(401);
      expect((await fetch(`${mock.url}/__mock/accounts`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    });

    it('generates the data of SEED and MOCK_USERS: byte for byte what the same settings give in-process', async () => {
      const path = '/__mock/datafiniti/accounts?per=100';
      const served = await (await fetch(`${mock.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      const inProcess = async (seed: number) => {
        const app = await buildApp({ seed, users: 5 });
        const body = (await app.inject(path)).body;
        await app.close();
        return body;
      };
      expect(served).toBe(await inProcess(7));
      expect(served).not.toBe(await inProcess(1));
    });

    it('lets browsers on the MOCK_CORS origins call the providers', async () => {
      const answer = await fetch(`${mock.url}/api/v2/users/account_info?key=${BOB_KEY}`, { headers: { origin: ORIGIN } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    });

    it('keeps its state in the Redis of MOCK_STATE_URL, under MOCK_STATE_PREFIX', async () => {
      expect((await fetch(`${mock.url}/api/v2/users/account_info?key=${BOB_KEY}`)).status).toBe(200);
      const keys = (await run('docker', ['exec', redisName, 'redis-cli', '--scan'])).split('\n').filter(Boolean);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => !key.startsWith('container-test'))).toEqual([]);
    });
  });
});
