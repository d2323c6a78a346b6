import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { composeProject, waitAnswers } from './compose.js';
import { buildImage, inspect, skippedWithoutDocker, waitHealthy } from './docker.js';
import { replayExample } from './examples.js';

describe.skipIf(skippedWithoutDocker('The compose tests'))('docker-compose.yml, as written', { timeout: 60_000 }, () => {
  let stack: Awaited<ReturnType<typeof composeProject>>;

  beforeAll(async () => {
    await buildImage();
    stack = await composeProject('docker-compose.yml', 'compose');
  }, 900_000);
  afterAll(() => stack?.down(), 120_000);

  it('comes up healthy on 127.0.0.1 and answers a documented example', async () => {
    await stack.compose(['up', '-d'], 120_000);
    const [id] = await stack.containers('provider-mock');
    await waitHealthy(id!);
    expect((await inspect(id!)).NetworkSettings.Ports['4010/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: new URL(stack.url).port }]);
    await waitAnswers(`${stack.url}/__mock/health`);
    const { example } = readExamples('datafiniti')[0]!;
    expect(await replayExample(stack.url, example)).toEqual({ status: example.response.status, body: example.response.body });
  });

  it('leaves nothing behind after down -v', async () => {
    expect(await stack.leftovers()).not.toEqual([]);
    await stack.down();
    expect(await stack.leftovers()).toEqual([]);
  });
});
