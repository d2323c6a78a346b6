import { createHash } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BuildOptions, buildApp } from '../../src/app.js';
import { ConfigError } from '../../src/config.js';
import { errorFormatProblem } from '../hardening/formats.js';
import { makeApp, manualClock } from '../helpers.js';
import { BOB_KEY } from '../providers/fingerbank/accounts.js';
import { type TestRedis, skippedWithoutRedis, startRedis } from '../redis-server.js';

const PLASPY = { url: '/api/users', headers: { authorization: 'Bearer plaspy-demo-token' } };
const ANSWER_WITHIN_MS = 5_000;

/** A Fingerbank account key of its own form (40 hex digits), one per name. */
function keyOf(name: string): string {
  return createHash('sha1').update(name).digest('hex');
}

const accountInfo = (key: string) => `/api/v2/users/account_info?key=${key}`;

/** The app's answer, or a failure naming the request when none comes within 5 s. */
async function answered(app: FastifyInstance, request: InjectOptions | string): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_WITHIN_MS} ms: ${JSON.stringify(request)}`)), ANSWER_WITHIN_MS);
  });
  try {
    return await Promise.race([app.inject(request), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits, at most 5 s, until the app's health check answers `status`. */
async function healthBecomes(app: FastifyInstance, status: number): Promise<LightMyRequestResponse> {
  for (let attempt = 0; ; attempt++) {
    const health = await app.inject('/__mock/health');
    if (health.statusCode === status || attempt >= 50) return health;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Redis failing the way it does in practice, under replicas in this process (each a mock of its
 * own on one redis-server of the test's): every request is answered within 5 s, never 500, and
 * the replicas keep answering alike.
 */
describe.skipIf(skippedWithoutRedis('The shared-state fault tests'))('shared state when Redis fails', { timeout: 60_000 }, () => {
  let redis: TestRedis;
  let admin: Redis;
  let apps: FastifyInstance[] = [];
  let prefix = 0;

  async function replicas(n: number, clock = manualClock(), controlLimits?: BuildOptions['controlLimits']): Promise<FastifyInstance[]> {
    const statePrefix = `f${++prefix}`;
    apps = await Promise.all(
      Array.from({ length: n }, (_, i) => makeApp({ stateUrl: redis.url, statePrefix, clock, replicaId: `r${i}`, controlLimits })),
    );
    return apps;
  }

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url, { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: 1 });
    admin.on('error', () => {});
  });
  afterEach(async () => {
    redis.signal('SIGCONT');
    await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
    await Promise.all(apps.map((app) => app.close()));
    apps = [];
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  it('answers alike on every replica after Redis restarts empty, from the log written since', async () => {
    const [a, b, c] = await replicas(3);
    const before = keyOf('before the restart');
    expect((await answered(a!, { method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key: before } })).statusCode).toBe(201);
    for (const app of [a, b, c]) expect((await answered(app!, accountInfo(before))).statusCode).toBe(200);
    await redis.stop();
    await redis.start();
    expect((await healthBecomes(a!, 200)).statusCode).toBe(200);
    // written through the same replica before the others read anything of the new state
    const after = keyOf('after the restart');
    expect((await answered(a!, { method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key: after } })).statusCode).toBe(201);
    for (const app of [a, b, c]) {
      expect((await answered(app!, accountInfo(after))).statusCode).toBe(200);
      expect((await answered(app!, accountInfo(before))).statusCode).toBe(401);
    }
  });

  it('answers every create sent beside resets, and the replicas then list the same accounts', async () => {
    const all = await replicas(3);
    const requests = Array.from({ length: 150 }, (_, i) =>
      i % 10 === 5
        ? answered(all[i % 3]!, { method: 'POST', url: '/__mock/reset' })
        : answered(all[i % 3]!, { method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key: keyOf(`beside resets ${i}`) } }),
    );
    const answers = await Promise.all(requests);
    expect(answers.map((answer) => answer.statusCode).filter((status) => ![200, 201, 503].includes(status))).toEqual([]);
    // each create answered with its own account, not another write's
    answers.forEach((answer, i) => {
      if (answer.statusCode === 201) expect(answer.json().key).toBe(keyOf(`beside resets ${i}`));
    });
    const seen = await Promise.all(
      all.map(async (app) => {
        const found: number[] = [];
        for (let i = 0; i < 150; i++) if ((await answered(app, accountInfo(keyOf(`beside resets ${i}`)))).statusCode === 200) found.push(i);
        return found;
      }),
    );
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
  });

  it('answers 503 in each owner’s envelope while Redis is full (noeviction), health names it, and recovers', async () => {
    const [a] = await replicas(1);
    await admin.config('SET', 'maxmemory', '1');
    const provider = await answered(a!, PLASPY);
    expect(provider.statusCode).toBe(503);
    expect(errorFormatProblem('plaspy', 503, provider.json())).toBeUndefined();
    const fingerbank = await answered(a!, accountInfo(BOB_KEY));
    expect(fingerbank.statusCode).toBe(503);
    expect(errorFormatProblem('fingerbank', 503, fingerbank.json())).toBeUndefined();
    const control = await answered(a!, { method: 'POST', url: '/__mock/plaspy/accounts', payload: { label: 'refused' } });
    expect(control.statusCode).toBe(503);
    expect(errorFormatProblem('control', 503, control.json())).toBeUndefined();
    expect((await answered(a!, { method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', status: 500 } })).statusCode).toBe(503);
    expect((await answered(a!, { method: 'POST', url: '/__mock/clock', payload: { advanceMs: 1000 } })).statusCode).toBe(503);
    const health = await answered(a!, '/__mock/health');
    expect(health.statusCode).toBe(503);
    expect(health.json().message).toMatch(/refuses to write: OOM/);
    await admin.config('SET', 'maxmemory', '0');
    expect((await answered(a!, '/__mock/health')).statusCode).toBe(200);
    expect((await answered(a!, PLASPY)).statusCode).toBe(200);
    // nothing refused was applied
    expect((await answered(a!, '/__mock/faults')).json()).toEqual([]);
  });

  it('never applies later a create or a count answered 503 while Redis held writes back', async () => {
    const [a, b] = await replicas(2);
    const usage = async () => (await answered(a!, '/__mock/plaspy/accounts/plaspy-demo-token')).json().apiUsage as number;
    const start = await usage();
    // reads (a request's catch-up) go on; writes wait past the commands' timeout (2 s), then run
    await admin.client('PAUSE', '3000', 'WRITE');
    const creates = Array.from({ length: 6 }, (_, i) =>
      answered(i % 2 ? a! : b!, { method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key: keyOf(`paused ${i}`) } }),
    );
    const calls = Array.from({ length: 6 }, (_, i) => answered(i % 2 ? a! : b!, PLASPY));
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const created = (await Promise.all(creates)).map((answer) => answer.statusCode);
    const served = (await Promise.all(calls)).map((answer) => answer.statusCode);
    expect([...created, ...served].filter((status) => status !== 503)).toEqual([]);
    expect((await healthBecomes(a!, 200)).statusCode).toBe(200);
    for (let i = 0; i < 6; i++) {
      expect((await answered(b!, accountInfo(keyOf(`paused ${i}`)))).statusCode).toBe(401);
      // the client's retry answers as the first would have
      expect((await answered(a!, { method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key: keyOf(`paused ${i}`) } })).statusCode).toBe(201);
    }
    expect(await usage()).toBe(start);
  });

  it('lets the clock set back end a Fingerbank rate-limit window, as in memory', async () => {
    const [a] = await replicas(1);
    for (let i = 0; i < 250; i++) expect((await a!.inject(accountInfo(BOB_KEY))).statusCode).toBe(200);
    expect((await a!.inject(accountInfo(BOB_KEY))).statusCode).toBe(429);
    const now = Date.parse((await a!.inject('/__mock/clock')).json().now);
    const back = new Date(now - 60 * 60 * 1000).toISOString();
    expect((await a!.inject({ method: 'POST', url: '/__mock/clock', payload: { set: back } })).statusCode).toBe(200);
    expect((await a!.inject(accountInfo(BOB_KEY))).statusCode).toBe(200);
  });

  it('keeps the users-per-account budget for the group, and a reset through one fills it for all', async () => {
    const [a, b] = await replicas(2, manualClock(), { usersPerAccount: 3 });
    const generate = (app: FastifyInstance, count: number) =>
      answered(app, { method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users/generate', payload: { count } });
    expect((await generate(a!, 2)).statusCode).toBe(201);
    const refused = await generate(b!, 2);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toMatch(/has added 2 to 'plaspy-demo-token'/);
    // a refused addition spends nothing: one more still fits
    expect((await generate(b!, 1)).statusCode).toBe(201);
    expect((await generate(a!, 1)).statusCode).toBe(422);
    expect((await answered(b!, { method: 'POST', url: '/__mock/reset' })).statusCode).toBe(200);
    expect((await generate(a!, 3)).statusCode).toBe(201);
  });

  it('keeps the bytes written into one account for the group, and a reset through one fills it for all', async () => {
    const [a, b] = await replicas(2, manualClock(), { accountBytes: 25_000 });
    const description = (n: number) => ({ description: `${n}`.padEnd(10_000, 'x') });
    const change = (app: FastifyInstance, n: number) =>
      answered(app, { method: 'PATCH', url: '/__mock/plaspy/accounts/plaspy-demo-token/users/usr-12345', payload: description(n) });
    expect((await change(a!, 1)).statusCode).toBe(200);
    expect((await change(b!, 2)).statusCode).toBe(200);
    const refused = await change(a!, 3);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toMatch(/has written 200\d\d into 'plaspy-demo-token'/);
    // a change that did not happen spends nothing
    const small = { description: 'y'.repeat(3_000) };
    expect((await answered(b!, { method: 'PATCH', url: '/__mock/plaspy/accounts/plaspy-demo-token/users/nobody', payload: small })).statusCode).toBe(404);
    expect((await answered(b!, { method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users', payload: small })).statusCode).toBe(201);
    expect((await answered(a!, { method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users', payload: small })).statusCode).toBe(422);
    expect((await answered(b!, { method: 'POST', url: '/__mock/reset' })).statusCode).toBe(200);
    expect((await change(a!, 5)).statusCode).toBe(200);
  });

  it('keeps the bytes written into one provider for the group: new accounts through two replicas share one bound', async () => {
    const [a, b] = await replicas(2, manualClock(), { providerBytes: 25_000 });
    const create = (app: FastifyInstance) =>
      answered(app, { method: 'POST', url: '/__mock/datafiniti/accounts', payload: { first_name: 'f'.repeat(10_000) } });
    expect((await create(a!)).statusCode).toBe(201);
    expect((await create(b!)).statusCode).toBe(201);
    const refused = await create(a!);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toMatch(/into Datafiniti's records between resets, and has written 20004/);
    expect((await answered(b!, { method: 'POST', url: '/__mock/reset' })).statusCode).toBe(200);
    expect((await create(a!)).statusCode).toBe(201);
  });

  it('passes calls that 100 faults with long bodies do not match, and fires the one that does', async () => {
    const [a, b] = await replicas(2);
    const sequence = Array.from({ length: 10 }, () => ({ status: 500, message: 'x'.repeat(1000) }));
    for (let i = 0; i < 100; i++) {
      const added = await answered(a!, { method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', method: 'DELETE', sequence } });
      expect(added.statusCode).toBe(201);
    }
    for (let i = 0; i < 20; i++) expect((await answered(i % 2 ? a! : b!, PLASPY)).statusCode).toBe(200);
    await answered(b!, { method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', method: 'GET', status: 502, times: 1 } });
    expect((await answered(a!, PLASPY)).statusCode).toBe(502);
    expect((await answered(b!, PLASPY)).statusCode).toBe(200);
  });
});

describe.skipIf(skippedWithoutRedis('The eviction-policy tests'))('a Redis that evicts keys when full', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('is refused at start, exit code 2, naming the policy and the way out', async () => {
    const refusal = await buildApp({ stateUrl: redis.url, statePrefix: 'evicting' }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as ConfigError).exitCode).toBe(2);
    expect((refusal as ConfigError).message).toMatch(/maxmemory-policy allkeys-lru.*noeviction.*--state-allow-eviction/);
  });

  it('is accepted with --state-allow-eviction, with a warning in the log', async () => {
    const lines: string[] = [];
    const logStream = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const app = await buildApp({ stateUrl: redis.url, statePrefix: 'evicting', stateAllowEviction: true, logLevel: 'warn', logFormat: 'json', logStream });
    try {
      expect((await app.inject(PLASPY)).statusCode).toBe(200);
      expect(lines.join('')).toMatch(/maxmemory-policy allkeys-lru.*started anyway/);
    } finally {
      await app.close();
    }
  });
});
