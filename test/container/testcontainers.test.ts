import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { readExamples } from '../../src/data/examples.js';
import { ProviderMockContainer, type StartedProviderMockContainer } from '../../src/testcontainers.js';
import { buildImage, inspect, removeLabelled, skippedWithoutDocker, uniqueName } from './docker.js';
import { replayExample } from './examples.js';

const LABEL = uniqueName('testcontainers');
const TOKEN = 'testcontainers-admin-token';

describe.skipIf(skippedWithoutDocker('The Testcontainers tests'))('provider-mock/testcontainers', { timeout: 60_000 }, () => {
  let mock: StartedProviderMockContainer;

  beforeAll(async () => {
    // Ryuk, Testcontainers' reaper, is an image from Docker Hub, which this machine may not reach;
    // afterAll removes what the tests started instead
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    await buildImage();
    mock = await new ProviderMockContainer().withSeed(7).withUsers(3).withAdminToken(TOKEN).withLabels({ 'provider-mock-test': LABEL }).start();
  }, 900_000);
  afterAll(() => removeLabelled(`provider-mock-test=${LABEL}`), 60_000);

  it('starts once the HEALTHCHECK reports healthy, published on a port of this host', async () => {
    expect((await inspect(mock.getId())).State.Health.Status).toBe('healthy');
    expect(mock.baseUrl).toMatch(/^http:\/\/[^/]+:\d+$/);
    const { example } = readExamples('fingerbank')[0]!;
    expect(await replayExample(mock.baseUrl, example)).toEqual({ status: example.response.status, body: example.response.body });
  });

  it('gives a control client that sends the admin token, which the control plane asks for', async () => {
    expect((await fetch(`${mock.baseUrl}/__mock/accounts`)).status).toBe(401);
    expect(await mock.control.health()).toEqual({ status: 'ok' });
    await mock.control.reset();
    await fetch(`${mock.baseUrl}/v3/users`, { headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` } });
    expect(await mock.control.count({ provider: 'datafiniti' })).toBe(1);
  });

  it('passes the seed and the number of users: the records are those the same settings give in-process', async () => {
    const app = await buildApp({ seed: 7, users: 3 });
    const inProcess = (await app.inject('/__mock/datafiniti/accounts?page=1&per=100')).json();
    await app.close();
    expect(await mock.control.listAccounts('datafiniti', 1, 100)).toEqual(inProcess);
  });

  it('stops the container', async () => {
    await mock.stop();
    await expect(inspect(mock.getId())).rejects.toThrow();
  });
});
