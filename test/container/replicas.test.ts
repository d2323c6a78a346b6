import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../src/control-client.js';
import { BOB_KEY } from '../providers/fingerbank/accounts.js';
import { composeProject, waitAnswers } from './compose.js';
import { BASE_IMAGE, buildImage, docker, inspect, removeLabelled, skippedWithoutDocker, uniqueName, waitHealthy } from './docker.js';

const DATAFINITI = { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` };

/** `count` GETs of the path through the balancer, `parallel` at a time; the statuses answered. */
async function calls(url: string, count: number, parallel = 20, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return statuses;
}

const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((counts, status) => ({ ...counts, [status]: (counts[status] ?? 0) + 1 }), {});
const address = async (id: string) => Object.values((await inspect(id)).NetworkSettings.Networks as Record<string, { IPAddress: string }>)[0]!.IPAddress;
/** Labels the container that takes a stopped replica's address, removed before the project's network. */
const SQUATTER = `provider-mock-test=${uniqueName('squatter')}`;
const replicaIds = (entries: { replica?: string }[]) => new Set(entries.map((entry) => entry.replica));

describe.skipIf(skippedWithoutDocker('The replicas tests'))('docker-compose.replicas.yml, as written: Redis, three replicas, nginx', { timeout: 120_000 }, () => {
  let stack: Awaited<ReturnType<typeof composeProject>>;
  let control: ControlClient;

  beforeAll(async () => {
    await buildImage();
    stack = await composeProject('docker-compose.replicas.yml', 'replicas');
    control = new ControlClient(stack.url);
    await stack.compose(['up', '-d'], 180_000);
    await waitAnswers(`${stack.url}/__mock/health`);
  }, 900_000);
  afterAll(async () => {
    await removeLabelled(SQUATTER);
    await stack?.down();
  }, 120_000);

  it('runs three healthy replicas, and the balancer spreads calls over all of them', async () => {
    const replicas = await stack.containers('replica');
    expect(replicas).toHaveLength(3);
    for (const id of replicas) await waitHealthy(id);
    await control.reset();
    await calls(`${stack.url}/v3/users`, 30, 5, DATAFINITI);
    expect(replicaIds(await control.requests({ provider: 'datafiniti', limit: 30 })).size).toBe(3);
  });

  it('keeps limits and counters exact through the balancer: 300 Fingerbank calls on one key give 250 × 200 and 50 × 429', async () => {
    await control.reset();
    const statuses = await calls(`${stack.url}/api/v2/users/account_info?key=${BOB_KEY}`, 300);
    expect(tally(statuses)).toEqual({ 200: 250, 429: 50 });
    expect(await control.count({ provider: 'fingerbank' })).toBe(300);
    expect(await control.count({ provider: 'fingerbank', status: 429 })).toBe(50);
    expect(replicaIds(await control.requests({ provider: 'fingerbank', limit: 300 })).size).toBe(3);
  });

  it('uses a replica again once it is killed and restarted at another address', async () => {
    const [victim] = await stack.containers('replica');
    const [network, { IPAddress: before }] = Object.entries((await inspect(victim!)).NetworkSettings.Networks as Record<string, { IPAddress: string }>)[0]!;
    await docker(['kill', victim!]);
    // calls go on while it is down
    await control.reset();
    expect(tally(await calls(`${stack.url}/v3/users`, 20, 5, DATAFINITI))).toEqual({ 200: 20 });

    // Docker gives a restarted container its old address when it is free: take it, so that nginx
    // must look the name up again to find the replica
    const squatter = (await docker(['run', '-d', '--label', SQUATTER, '--network', network, '--entrypoint', 'sleep', BASE_IMAGE, '300'])).trim();
    expect(await address(squatter)).toBe(before);
    await docker(['start', victim!]);
    await waitHealthy(victim!);
    expect(await address(victim!)).not.toBe(before);

    await control.reset();
    // Docker's DNS answer is held 2 s (the resolver's valid=2s)
    const deadline = Date.now() + 30_000;
    let served = new Set<string | undefined>();
    while (served.size < 3 && Date.now() < deadline) {
      await calls(`${stack.url}/v3/users`, 15, 5, DATAFINITI);
      served = replicaIds(await control.requests({ provider: 'datafiniti', limit: 1000 }));
    }
    expect(served.size).toBe(3);
    await removeLabelled(SQUATTER);
  });

  it('leaves nothing behind after down -v', async () => {
    expect(await stack.leftovers()).not.toEqual([]);
    await stack.down();
    expect(await stack.leftovers()).toEqual([]);
  });
});
