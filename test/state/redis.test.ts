import type { FastifyInstance, InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { redacted } from '../../src/http/redaction.js';
import { BOB_KEY } from '../providers/fingerbank/accounts.js';
import { errorFormatProblem } from '../hardening/formats.js';
import { makeApp, manualClock } from '../helpers.js';
import { type TestRedis, skippedWithoutRedis, startRedis } from '../redis-server.js';

const FINGERBANK = `/api/v2/users/account_info?key=${BOB_KEY}`;
const PLASPY = { url: '/api/users', headers: { authorization: 'Bearer plaspy-demo-token' } };

/**
 * Two mocks in this process on one Redis, as two replicas would be: each step on the state is a
 * script in Redis, so what one changes the other sees. The replicas of separate processes are in
 * replicas.test.ts.
 */
describe.skipIf(skippedWithoutRedis('The shared-state tests'))('shared state in Redis (two mocks in one process)', () => {
  let redis: TestRedis;
  let prefix = 0;
  let options: { stateUrl: string; statePrefix: string };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  beforeEach(() => {
    options = { stateUrl: redis.url, statePrefix: `t${++prefix}` };
  });

  async function pair(clock = manualClock()): Promise<[FastifyInstance, FastifyInstance]> {
    return [await makeApp({ ...options, clock, replicaId: 'a' }), await makeApp({ ...options, clock, replicaId: 'b' })];
  }

  it('counts Fingerbank calls on either mock in one set of counters, from the seeded figures', async () => {
    const [a, b] = await pair();
    const first = (await a.inject(FINGERBANK)).json();
    // the documented answer is the first call's: the fixture's figures count it
    expect(first).toMatchObject({ timeframed_requests: 3, monthly_requests: 126, requests: 1512 });
    expect((await b.inject(FINGERBANK)).json()).toMatchObject({ timeframed_requests: 4, monthly_requests: 127, requests: 1513 });
    expect((await a.inject(FINGERBANK)).json()).toMatchObject({ requests: 1514 });
  });

  it('starts a counter again when its period ends, by the mock clock', async () => {
    const clock = manualClock();
    const [a, b] = await pair(clock);
    await a.inject(FINGERBANK);
    clock.advance(60 * 60 * 1000);
    expect((await b.inject(FINGERBANK)).json()).toMatchObject({ timeframed_requests: 1, monthly_requests: 127, requests: 1513 });
  });

  it('shares the 250-a-minute window: 250 answers 200 over both, then 429 on both', async () => {
    const clock = manualClock();
    const [a, b] = await pair(clock);
    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => (i % 2 ? a : b).inject(FINGERBANK)));
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(250);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
    const refused = answers.find((answer) => answer.statusCode === 429)!;
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    clock.advance(60_000);
    expect((await a.inject(FINGERBANK)).statusCode).toBe(200);
  });

  it('counts Plaspy calls on either mock, each answer showing its own call', async () => {
    const [a, b] = await pair();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).inject(PLASPY)));
    const figures = answers.map((answer) => answer.json().apiUsage as number).sort((x, y) => x - y);
    expect(figures).toEqual(Array.from({ length: 40 }, (_, i) => 150 + i));
  });

  it('sets figures through the control plane of one mock, counted on by the other', async () => {
    const [a, b] = await pair();
    const patched = await a.inject({ method: 'PATCH', url: `/__mock/fingerbank/accounts/${BOB_KEY}`, payload: { requests: 10 } });
    expect(patched.json()).toMatchObject({ requests: 10, monthly_requests: 125 });
    expect((await b.inject(FINGERBANK)).json()).toMatchObject({ requests: 11, monthly_requests: 126 });
  });

  it('serves an account created through one mock on the other at once, and forgets it after a reset through either', async () => {
    const [a, b] = await pair();
    const created = await a.inject({ method: 'POST', url: '/__mock/fingerbank/accounts', payload: { name: 'shared', requests: 40 } });
    expect(created.statusCode).toBe(201);
    const { key } = created.json() as { key: string };
    const answer = await b.inject(`/api/v2/users/account_info?key=${key}`);
    expect(answer.statusCode).toBe(200);
    // the same generated fields on both, and the figures counted once
    expect(answer.json()).toEqual({ ...created.json(), requests: 41, monthly_requests: created.json().monthly_requests + 1, timeframed_requests: created.json().timeframed_requests + 1 });
    expect((await b.inject({ method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key } })).statusCode).toBe(409);
    expect((await b.inject({ method: 'PATCH', url: `/__mock/fingerbank/accounts/${key}`, payload: { blocked: true } })).statusCode).toBe(200);
    expect((await a.inject(`/api/v2/users/account_info?key=${key}`)).statusCode).toBe(403);
    expect((await a.inject({ method: 'DELETE', url: `/__mock/fingerbank/accounts/${key}` })).statusCode).toBe(204);
    expect((await b.inject(`/api/v2/users/account_info?key=${key}`)).statusCode).toBe(401);

    const user = await b.inject({ method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users', payload: { name: 'Ana Ruiz' } });
    expect(user.statusCode).toBe(201);
    expect((await a.inject({ method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users/generate', payload: { count: 3 } })).json()).toEqual({ total: 5 });
    const listed = (await b.inject(PLASPY)).json().users;
    expect(listed).toHaveLength(5);
    expect((await a.inject(PLASPY)).json().users).toEqual(listed);

    await b.inject({ method: 'POST', url: '/__mock/reset' });
    expect((await a.inject(PLASPY)).json().users).toHaveLength(1);
  });

  it('applies earlier record changes in a mock started later, before it serves', async () => {
    const a = await makeApp(options);
    const created = (await a.inject({ method: 'POST', url: '/__mock/plaspy/accounts', payload: { label: 'Fleet' } })).json();
    const later = await makeApp(options);
    expect((await later.inject(`/__mock/plaspy/accounts/${created.token}`)).json()).toEqual(created);
  });

  it('keeps the change log bounded under changes of one record, and a mock started later answers as the others', async () => {
    const clock = manualClock();
    const [a, b] = await pair(clock);
    const created = await a.inject({ method: 'POST', url: '/__mock/fingerbank/accounts', payload: { name: 'compacted' } });
    const { key } = created.json() as { key: string };
    const patch = (app: FastifyInstance, payload: Record<string, unknown>) =>
      app.inject({ method: 'PATCH', url: `/__mock/fingerbank/accounts/${key}`, payload });
    // a field set once and never again stays in the log, whatever follows
    expect((await patch(b, { display_name: 'kept', roles: 'admin' })).statusCode).toBe(200);
    const large = 'x'.repeat(10_000);
    for (let i = 0; i < 100; i++) expect((await patch(i % 2 ? a : b, { display_name: `${large}${i}`, email: `n${i}@example.com` })).statusCode).toBe(200);
    // changes sent together: a writer whose change a later one superseded before it read it still answers it
    const together = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(i % 2 ? a : b, { display_name: `t${i}`, email: `t${i}@example.com` })));
    expect(together.map((answer) => answer.statusCode)).toEqual(Array(20).fill(200));
    expect(together.map((answer) => answer.json().email)).toEqual(Array.from({ length: 20 }, (_, i) => `t${i}@example.com`));
    expect((await patch(a, { display_name: `${large}99`, email: 'n99@example.com' })).statusCode).toBe(200);
    const log = await new Redis(redis.url).pipeline().lrange(`${options.statePrefix}:s:changes`, 0, -1).exec();
    const entries = log![0]![1] as string[];
    // the create, the first change (its roles never set again) and the last: 100 × 10 KB became one
    expect(entries.filter((entry) => entry !== '-')).toHaveLength(3);
    expect(entries.join('').length).toBeLessThan(12_000);
    const later = await makeApp({ ...options, clock });
    const expected = (await a.inject(`/__mock/fingerbank/accounts/${key}`)).json();
    expect(expected).toMatchObject({ display_name: `${large}99`, roles: 'admin', email: 'n99@example.com' });
    expect((await later.inject(`/__mock/fingerbank/accounts/${key}`)).json()).toEqual(expected);
    expect((await b.inject(`/__mock/fingerbank/accounts/${key}`)).json()).toEqual(expected);
    // a reset clears the log and what it knew of the last entries
    await later.inject({ method: 'POST', url: '/__mock/reset' });
    expect(await new Redis(redis.url).exists(`${options.statePrefix}:s:changes`, `${options.statePrefix}:s:last-changes`)).toBe(0);
  });

  it('uses a fault with times: 3 exactly three times over both mocks', async () => {
    const [a, b] = await pair();
    const added = await a.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', status: 502, times: 3 } });
    expect(added.json()).toMatchObject({ id: 'fault-1', provider: 'plaspy', status: 502, times: 3, hits: 0 });
    expect((await b.inject('/__mock/faults')).json()).toEqual([added.json()]);
    const statuses = (await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).inject(PLASPY)))).map((r) => r.statusCode);
    expect(statuses.filter((status) => status === 502)).toHaveLength(3);
    expect((await a.inject('/__mock/faults')).json()).toEqual([]);
  });

  it('fires a fault set through one mock on the next call to the other, which had served with none set', async () => {
    const [a, b] = await pair();
    expect((await b.inject(PLASPY)).statusCode).toBe(200);
    await a.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', status: 503, times: 1 } });
    expect((await b.inject(PLASPY)).statusCode).toBe(503);
    expect((await b.inject(PLASPY)).statusCode).toBe(200);
  });

  it('lists, removes and clears faults for both mocks', async () => {
    const [a, b] = await pair();
    await a.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', status: 500 } });
    await b.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', status: 503 } });
    await a.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', delayMs: 1 } });
    expect((await b.inject('/__mock/faults')).json().map((fault: { id: string }) => fault.id)).toEqual(['fault-1', 'fault-2', 'fault-3']);
    expect((await b.inject('/__mock/faults?provider=plaspy')).json()).toHaveLength(2);
    expect((await a.inject({ method: 'DELETE', url: '/__mock/faults/fault-2' })).statusCode).toBe(204);
    expect((await b.inject({ method: 'DELETE', url: '/__mock/faults/fault-2' })).statusCode).toBe(404);
    expect((await b.inject({ method: 'DELETE', url: '/__mock/faults?provider=plaspy' })).json()).toEqual({ cleared: 2 });
    expect((await a.inject('/__mock/faults')).json()).toEqual([]);
  });

  it('takes each step of a sequence once over both mocks: 502, 502, then a normal answer', async () => {
    const [a, b] = await pair();
    const sequence = [{ status: 502 }, { status: 502 }, { pass: true }];
    await a.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', sequence } });
    const seen = [];
    for (const mock of [b, a, b, a]) seen.push((await mock.inject(FINGERBANK)).statusCode);
    expect(seen).toEqual([502, 502, 200, 200]);
    expect((await b.inject('/__mock/faults')).json()).toEqual([]);
    // concurrent calls spread over both: still exactly one call per step
    await b.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', sequence } });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).inject(FINGERBANK)));
    const statuses = answers.map((answer) => answer.statusCode);
    expect(statuses.filter((status) => status === 502)).toHaveLength(2);
    expect((await a.inject('/__mock/faults')).json()).toEqual([]);
  });

  it('repeats a sequence over both mocks with its headers, counts its hits, and ends it after times', async () => {
    const [a, b] = await pair();
    const sequence = [{ status: 429, headers: { 'retry-after': '2', 'x-step': 'one' } }, { pass: true }];
    const payload = { provider: 'fingerbank', sequence, repeat: true, times: 3 };
    const added = (await a.inject({ method: 'POST', url: '/__mock/faults', payload })).json();
    expect(added).toMatchObject({ ...payload, id: 'fault-1', hits: 0 });
    const first = await b.inject(FINGERBANK);
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('2');
    expect(first.headers['x-step']).toBe('one');
    const second = await a.inject(FINGERBANK);
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-step']).toBeUndefined();
    expect((await b.inject('/__mock/faults')).json()).toEqual([{ ...added, hits: 2 }]);
    expect((await b.inject(FINGERBANK)).statusCode).toBe(429);
    expect((await a.inject(FINGERBANK)).statusCode).toBe(200);
    expect((await a.inject('/__mock/faults')).json()).toEqual([]);
  });

  it('matches faults on route, method and credential on both mocks, as the memory state does', async () => {
    const [a, b] = await pair();
    const add = (payload: Record<string, unknown>) => a.inject({ method: 'POST', url: '/__mock/faults', payload });
    await add({ provider: 'plaspy', credential: 'another-token', status: 500 });
    await add({ provider: 'plaspy', method: 'POST', status: 501 });
    await add({ provider: 'fingerbank', route: '/api/v2/users/account_info/:account_key', status: 503 });
    await add({ provider: 'plaspy', credential: 'plaspy-demo-token', method: 'GET', route: '/api/users', status: 504, times: 1 });
    expect((await b.inject(FINGERBANK)).statusCode).toBe(200);
    expect((await b.inject(`/api/v2/users/account_info/${BOB_KEY}`)).statusCode).toBe(503);
    expect((await b.inject(PLASPY)).statusCode).toBe(504);
    expect((await a.inject(PLASPY)).statusCode).toBe(200);
    expect((await a.inject('/__mock/faults')).json().map((fault: { id: string; hits: number }) => [fault.id, fault.hits])).toEqual([
      ['fault-1', 0],
      ['fault-2', 0],
      ['fault-3', 1],
    ]);
  });

  it('shares the mock’s time: Fingerbank’s window ended by an advance through the other mock', async () => {
    const [a, b] = await pair();
    const statuses = (await Promise.all(Array.from({ length: 251 }, () => a.inject(FINGERBANK)))).map((r) => r.statusCode);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1);
    const moved = await b.inject({ method: 'POST', url: '/__mock/clock', payload: { advanceMs: 60_000 } });
    expect(moved.json()).toEqual({ now: '2026-03-15T10:21:30.000Z', offsetMs: 60_000, frozen: false });
    // the provider call first: its catch-up, not a read of the clock, brings a the moved time
    expect((await a.inject(FINGERBANK)).statusCode).toBe(200);
    expect((await a.inject('/__mock/clock')).json()).toEqual(moved.json());
  });

  it('shares the mock’s time: a day on through one mock starts Plaspy’s daily count again on the other; frozen for both; reset for both', async () => {
    const clock = manualClock();
    const [a, b] = await pair(clock);
    expect((await a.inject(PLASPY)).json()).toMatchObject({ apiUsage: 150, apiDailyUsage: 15 });
    await a.inject({ method: 'POST', url: '/__mock/clock', payload: { advanceMs: 24 * 3_600_000 } });
    expect((await b.inject(PLASPY)).json()).toMatchObject({ apiUsage: 151, apiDailyUsage: 1 });
    const frozen = (await b.inject({ method: 'POST', url: '/__mock/clock', payload: { set: '2026-04-01T00:00:00Z', freeze: true } })).json();
    expect(frozen).toMatchObject({ now: '2026-04-01T00:00:00.000Z', frozen: true });
    clock.advance(5_000);
    expect((await a.inject('/__mock/clock')).json()).toEqual({ ...frozen, offsetMs: frozen.offsetMs - 5_000 });
    expect((await a.inject({ method: 'POST', url: '/__mock/clock', payload: { advanceMs: 1_000 } })).json()).toMatchObject({
      now: '2026-04-01T00:00:01.000Z',
      frozen: true,
    });
    expect((await b.inject('/__mock/clock')).json()).toMatchObject({ now: '2026-04-01T00:00:01.000Z', frozen: true });
    const past9999 = { set: '9999-12-31T23:59:59Z', advanceMs: 1_000 };
    expect((await a.inject({ method: 'POST', url: '/__mock/clock', payload: past9999 })).statusCode).toBe(400);
    expect((await b.inject('/__mock/clock')).json()).toMatchObject({ now: '2026-04-01T00:00:01.000Z', frozen: true });
    await b.inject({ method: 'POST', url: '/__mock/reset' });
    expect((await a.inject('/__mock/clock')).json()).toEqual({ now: new Date(clock()).toISOString(), offsetMs: 0, frozen: false });
  });

  it('starts the time of a group frozen at --clock, and brings it back there on reset', async () => {
    const start = '2026-06-01T12:00:00.000Z';
    const a = await makeApp({ ...options, clock: start });
    const b = await makeApp({ ...options, clock: start });
    await a.inject({ method: 'POST', url: '/__mock/clock', payload: { advanceMs: 60_000 } });
    expect((await b.inject('/__mock/clock')).json()).toMatchObject({ now: '2026-06-01T12:01:00.000Z', frozen: true });
    await a.inject({ method: 'POST', url: '/__mock/reset' });
    expect((await b.inject('/__mock/clock')).json()).toMatchObject({ now: start, frozen: true });
  });

  it('keeps one journal, each entry naming the mock that served it', async () => {
    const [a, b] = await pair();
    await a.inject(PLASPY);
    await b.inject(FINGERBANK);
    const journal = (await b.inject('/__mock/requests')).json();
    expect(journal.total).toBe(2);
    expect(journal.requests.map((entry: { provider: string; replica: string; id: number }) => [entry.id, entry.provider, entry.replica])).toEqual([
      [1, 'plaspy', 'a'],
      [2, 'fingerbank', 'b'],
    ]);
    expect((await a.inject('/__mock/requests?provider=fingerbank')).json().requests[0]).toMatchObject({
      path: '/api/v2/users/account_info',
      query: { key: redacted(BOB_KEY) },
      status: 200,
    });
    // redacted when recorded, as the memory journal does: no replica stores the secret in Redis
    expect((await b.inject('/__mock/requests?provider=plaspy')).json().requests[0].headers.authorization).toBe(
      `Bearer ${redacted('plaspy-demo-token')}`,
    );
    expect((await a.inject({ method: 'DELETE', url: '/__mock/requests' })).statusCode).toBe(204);
    expect((await b.inject('/__mock/requests')).json().total).toBe(0);
  });

  it('answers a call on what a mock knows in one round trip to Redis, and a call it counts in two', async () => {
    const [a] = await pair();
    const monitor = await new Redis(redis.url).monitor();
    /** The commands clients sent (not those scripts ran) while `calls` were answered. */
    let sent = 0;
    monitor.on('monitor', (_time: string, _args: string[], source: string) => {
      if (source !== 'lua') sent++;
    });
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    const roundTrips = async (calls: number, request: InjectOptions) => {
      await settle();
      sent = 0;
      for (let i = 0; i < calls; i++) expect((await a.inject(request)).statusCode).toBe(200);
      await settle();
      return sent;
    };
    try {
      const datafiniti = { url: '/v3/users', headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` } };
      // the first calls load the scripts into Redis
      await roundTrips(2, datafiniti);
      await roundTrips(2, PLASPY);
      expect(await roundTrips(20, datafiniti)).toBe(20);
      expect(await roundTrips(20, PLASPY)).toBe(40);
    } finally {
      monitor.disconnect();
    }
  });

  it('answers again, once and caught up, a call that arrived on a mock behind another’s change', async () => {
    const [a, b] = await pair();
    const anonymous = async () => (await b.inject('/api/users')).json().apiUsage as number;
    const before = await anonymous();
    const created = (await a.inject({ method: 'POST', url: '/__mock/plaspy/accounts', payload: { label: 'Fleet' } })).json();
    // b has not read the log since: it finds no such token at first, and must not count the call as an anonymous one
    const answer = await b.inject({ url: '/api/users', headers: { authorization: `Bearer ${created.token}` } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json().apiUsage).toBe(created.apiUsage + 1);
    expect(await anonymous()).toBe(before + 1);
    const journal = (await a.inject('/__mock/requests?provider=plaspy')).json();
    expect(journal.requests.map((entry: { status: number; replica: string }) => [entry.status, entry.replica])).toEqual([
      [401, 'b'],
      [200, 'b'],
      [401, 'b'],
    ]);

    // a Datafiniti call, which no usage step checks: its journal entry does
    const token = (await a.inject({ method: 'POST', url: '/__mock/datafiniti/accounts', payload: {} })).json().token as string;
    const listed = await b.inject({ url: '/v3/users', headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` } });
    expect(listed.statusCode).toBe(200);
    expect((await a.inject('/__mock/requests/count?provider=datafiniti')).json()).toEqual({ count: 1 });

    // a Fingerbank call: the answer of the run that caught up, with its own headers, in place of the stale 401
    const key = (await a.inject({ method: 'POST', url: '/__mock/fingerbank/accounts', payload: { name: 'late' } })).json().key as string;
    const info = await b.inject(`/api/v2/users/account_info?key=${key}`);
    expect(info.statusCode).toBe(200);
    expect(info.headers['content-type']).toMatch(/^application\/json/);
    expect(info.headers['x-ratelimit-remaining']).toBe('249');
    expect(Number(info.headers['content-length'])).toBe(info.rawPayload.length);
  });

  it('keeps why a credential was refused in the shared journal', async () => {
    const [a, b] = await pair();
    await a.inject({ url: '/api/users', headers: { authorization: 'Bearer no-such-token-42' } });
    expect((await b.inject('/__mock/requests?provider=plaspy')).json().requests[0]).toMatchObject({ status: 401, reason: 'unknown token', replica: 'a' });
  });

  it('keeps the journal to its size', async () => {
    const a = await makeApp({ ...options, journalSize: 3 });
    for (let i = 0; i < 5; i++) await a.inject(PLASPY);
    const journal = (await a.inject('/__mock/requests')).json();
    expect(journal.requests.map((entry: { id: number }) => entry.id)).toEqual([3, 4, 5]);
  });

  it('resets counters, windows, faults and journal of both through either', async () => {
    const [a, b] = await pair();
    await a.inject(FINGERBANK);
    await a.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datafiniti', status: 500 } });
    expect((await b.inject({ method: 'POST', url: '/__mock/reset' })).json()).toEqual({ status: 'reset' });
    expect((await a.inject('/__mock/faults')).json()).toEqual([]);
    expect((await a.inject('/__mock/requests')).json().total).toBe(0);
    expect((await a.inject(FINGERBANK)).json()).toMatchObject({ timeframed_requests: 3, requests: 1512 });
    const keys = new Redis(redis.url);
    try {
      expect((await keys.keys(`${options.statePrefix}:*`)).sort()).toEqual(
        [`:epoch`, `:group`, `:s:journal`, `:s:journal-ids`, `:s:seeded`, `:s:usage:fingerbank:${BOB_KEY}`, `:s:window:fingerbank:${BOB_KEY}`]
          .map((key) => `${options.statePrefix}${key}`)
          .sort(),
      );
    } finally {
      keys.disconnect();
    }
  });

  it('keeps groups with other prefixes apart', async () => {
    const a = await makeApp(options);
    const other = await makeApp({ ...options, statePrefix: `${options.statePrefix}-other` });
    await a.inject(FINGERBANK);
    expect((await other.inject(FINGERBANK)).json()).toMatchObject({ requests: 1512 });
  });

  it('refuses to join a group started with another seed or user count, naming the setting', async () => {
    await makeApp({ ...options, seed: 1, users: 5 });
    await expect(buildApp({ ...options, seed: 2, users: 5 })).rejects.toThrow(/--seed 2 \(SEED\), where the group has 1/);
    await expect(buildApp({ ...options, seed: 1, users: 6 })).rejects.toThrow(/--users 6 \(MOCK_USERS\), where the group has 5/);
  });

  it('refuses to start when Redis cannot be reached, naming the setting', async () => {
    await expect(buildApp({ stateUrl: 'redis://127.0.0.1:1', users: 5 })).rejects.toThrow(
      /cannot reach the shared state, Redis at redis:\/\/127\.0\.0\.1:1 \(--state-url, MOCK_STATE_URL\)/,
    );
  });
});

/** A valid call to each provider, with the demo credentials. */
const CALLS = [
  { slug: 'datafiniti', url: '/v3/users', headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` } },
  { slug: 'fingerbank', url: FINGERBANK, headers: {} },
  { slug: 'plaspy', ...PLASPY },
  { slug: 'datonis', url: '/api/v3/users', headers: { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' } },
] as const;

describe.skipIf(skippedWithoutRedis('The shared-state outage tests'))('shared state in Redis, while Redis is away', () => {
  it('answers 503 in each provider’s envelope and on /__mock/health, then serves again when Redis returns', async () => {
    const redis = await startRedis();
    try {
      const app = await makeApp({ stateUrl: redis.url });
      expect((await app.inject(FINGERBANK)).statusCode).toBe(200);
      await redis.stop();

      const health = await app.inject('/__mock/health');
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', message: expect.stringContaining(`Redis at ${redis.url}`) });
      for (const call of CALLS) {
        const answer = await app.inject({ url: call.url, headers: call.headers });
        expect(answer.statusCode, call.slug).toBe(503);
        expect(errorFormatProblem(call.slug, 503, answer.json()), call.slug).toBeUndefined();
        expect(answer.body, call.slug).toContain('cannot be reached');
      }
      expect((await app.inject('/__mock/faults')).statusCode).toBe(503);

      await redis.start();
      // the client reconnects by itself, every quarter second: bounded wait
      let healthy = 503;
      for (let attempt = 0; attempt < 80 && healthy !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        healthy = (await app.inject('/__mock/health')).statusCode;
      }
      expect(healthy).toBe(200);
      for (const call of CALLS) expect((await app.inject({ url: call.url, headers: call.headers })).statusCode, call.slug).toBe(200);
    } finally {
      await redis.stop();
    }
  });
});
