import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryState } from '../../src/state/memory.js';
import { RedisState } from '../../src/state/redis/redis-state.js';
import type { MockState, UsagePlan } from '../../src/state/state.js';
import { manualClock } from '../helpers.js';
import { type TestRedis, skippedWithoutRedis, startRedis } from '../redis-server.js';

const PLAN: UsagePlan = { scope: 'contract', periods: { hourly: 'hour', total: 'forever' } };
const SEEDED = { hourly: 5, total: 100 };
const RATE = { limit: 2, windowMs: 60_000 };
const START = Date.parse('2026-03-15T10:20:00.000Z');

const recorded = (url: string, provider = 'datonis') => ({
  time: START,
  provider,
  method: 'GET',
  url,
  query: {},
  headers: { 'x-auth-token': 'abc' },
  body: { search: 'x'.repeat(20_000) },
  status: 200,
  durationMs: 1.5,
});

type Clock = ReturnType<typeof manualClock>;

interface Implementation {
  name: string;
  skipped: boolean;
  create(clock: Clock, journalSize: number): Promise<MockState>;
}

let redis: TestRedis | undefined;
let prefix = 0;
const opened: RedisState[] = [];
const redisSkipped = skippedWithoutRedis('The Redis half of the state contract');

const implementations: Implementation[] = [
  { name: 'MemoryState', skipped: false, create: async (clock, journalSize) => new MemoryState(clock, { seed: 1, journalSize }) },
  {
    name: 'RedisState',
    skipped: redisSkipped,
    async create(clock, journalSize) {
      const state = new RedisState(clock, { url: redis!.url, prefix: `contract${++prefix}`, seed: 1, users: 5, journalSize });
      await state.open();
      opened.push(state);
      return state;
    },
  },
];

beforeAll(async () => {
  if (!redisSkipped) redis = await startRedis();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((state) => state.close()));
});
afterAll(async () => {
  await redis?.stop();
});

/** One behaviour for the state in memory and the state in Redis, so that the two cannot drift. */
describe.each(implementations)('the state contract: $name', ({ skipped, create }) => {
  async function state(journalSize = 10) {
    const clock = manualClock(START);
    return { clock, state: await create(clock, journalSize) };
  }

  it.skipIf(skipped)('reads seeded figures until a call is counted, then counts each call once', async () => {
    const { state: s } = await state();
    expect(await s.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
    expect((await s.usage.admit(PLAN, 'a', SEEDED)).figures).toEqual({ hourly: 6, total: 101 });
    expect((await s.usage.admit(PLAN, 'a', SEEDED)).figures).toEqual({ hourly: 7, total: 102 });
    expect(await s.usage.read(PLAN, 'b', SEEDED)).toEqual({ hourly: 5, total: 100 });
    expect(await s.usage.read({ ...PLAN, scope: 'other' }, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it.skipIf(skipped)('admits within the rate limit, counts none it refuses, and ends a window when it passes or the time moves back', async () => {
    const { clock, state: s } = await state();
    expect((await s.usage.admit(PLAN, 'a', SEEDED, RATE)).rate).toMatchObject({ allowed: true, remaining: 1 });
    clock.advance(1_000);
    expect((await s.usage.admit(PLAN, 'a', SEEDED, RATE)).rate).toMatchObject({ allowed: true, remaining: 0 });
    const refused = await s.usage.admit(PLAN, 'a', SEEDED, RATE);
    expect(refused).toMatchObject({ allowed: false, figures: { hourly: 7, total: 102 } });
    expect(refused.rate).toMatchObject({ allowed: false, remaining: 0, resetInMs: 59_000 });
    clock.advance(59_000);
    expect((await s.usage.admit(PLAN, 'a', SEEDED, RATE)).rate).toMatchObject({ allowed: true, remaining: 1 });
    await s.usage.admit(PLAN, 'a', SEEDED, RATE);
    expect((await s.usage.admit(PLAN, 'a', SEEDED, RATE)).allowed).toBe(false);
    await s.time.change({ advanceMs: -1 });
    expect((await s.usage.admit(PLAN, 'a', SEEDED, RATE)).rate).toMatchObject({ allowed: true, remaining: 1 });
  });

  it.skipIf(skipped)('starts a counter from zero when its period ends; a reset brings the seeded figures back', async () => {
    const { clock, state: s } = await state();
    await s.usage.admit(PLAN, 'a', SEEDED);
    clock.advance(3_600_000);
    expect(await s.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 0, total: 101 });
    expect(await s.usage.read(PLAN, 'never-used', SEEDED)).toEqual({ hourly: 0, total: 100 });
    await s.reset();
    expect(await s.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it.skipIf(skipped)('sets some figures, keeps the others counting, and forgets a key', async () => {
    const { state: s } = await state();
    expect(await s.usage.set(PLAN, 'a', SEEDED, { total: 7 })).toEqual({ hourly: 5, total: 7 });
    expect((await s.usage.admit(PLAN, 'a', SEEDED)).figures).toEqual({ hourly: 6, total: 8 });
    await s.usage.forget(PLAN, 'a');
    expect(await s.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it.skipIf(skipped)('takes each step of a fault once, ends it when its times are spent, and matches method, route and credential', async () => {
    const { state: s } = await state();
    const call = (method: string, route = '/a', credential = 'k') => ({ method, route: () => route, credential: () => credential });
    const counted = await s.faults.add({ provider: 'plaspy', status: 503, times: 2 });
    await s.faults.add({ provider: 'plaspy', route: '/b', credential: 'other', sequence: [{ pass: true }, { status: 500 }] });
    expect((await s.faults.list('plaspy')).map((fault) => fault.hits)).toEqual([0, 0]);
    expect(await s.faults.take('plaspy', call('GET'))).toMatchObject({ status: 503 });
    expect(await s.faults.take('datonis', call('GET'))).toBeUndefined();
    expect(await s.faults.take('plaspy', call('POST'))).toMatchObject({ status: 503 });
    expect((await s.faults.list()).map((fault) => fault.id)).not.toContain(counted.id);
    expect(await s.faults.take('plaspy', call('GET'))).toBeUndefined();
    expect(await s.faults.take('plaspy', call('GET', '/b', 'other'))).toEqual({});
    expect(await s.faults.take('plaspy', call('GET', '/b', 'other'))).toMatchObject({ status: 500 });
    expect(await s.faults.list()).toEqual([]);
    await s.faults.add({ provider: 'datonis', status: 502 });
    expect(await s.faults.clear('datonis')).toBe(1);
  });

  it.skipIf(skipped)('moves, freezes and resets the time', async () => {
    const { state: s } = await state();
    expect(await s.time.change({ advanceMs: 60_000, freeze: true })).toEqual({ now: START + 60_000, offsetMs: 60_000, frozen: true });
    expect(s.clock()).toBe(START + 60_000);
    await s.reset();
    expect(await s.time.read()).toEqual({ now: START, offsetMs: 0, frozen: false });
  });

  it.skipIf(skipped)('journals each request with bodies over 16 KB as their size, keeps the last ones, and clears on reset', async () => {
    const { state: s } = await state(2);
    for (const url of ['/a', '/b', '/c']) await s.journal.recordRequest(recorded(url));
    const entries = await s.journal.list();
    expect(entries.map((entry) => entry.path)).toEqual(['/b', '/c']);
    expect(entries[0]!.body).toEqual({ truncated: true, bytes: 20_013 });
    expect(await s.journal.count({ path: '/c' })).toBe(1);
    await s.reset();
    expect(await s.journal.list()).toEqual([]);
  });

  it.skipIf(skipped)('journals each answer as sent, JSON parsed, bounded, the secret redacted', async () => {
    const { state: s } = await state(20);
    const json = 'application/json; charset=utf-8';
    const answers: [unknown, string | undefined][] = [
      ['{"ok":true,"token":"abc"}', json],
      [Buffer.from('{"ok":1}'), json],
      ['plain abc', 'text/plain'],
      ['x'.repeat(16 * 1024 + 1), json],
      [`${'['.repeat(5000)}${']'.repeat(5000)}`, json],
      ['{not json', json],
      [undefined, undefined],
      ['', json],
    ];
    for (const [responseBody, responseType] of answers) await s.journal.recordRequest({ ...recorded('/a'), body: undefined, responseBody, responseType, secret: 'abc' });
    expect((await s.journal.list()).map((entry) => entry.responseBody)).toEqual([
      { ok: true, token: expect.not.stringContaining('abc') },
      { ok: 1 },
      expect.not.stringContaining('abc'),
      { truncated: true, bytes: 16 * 1024 + 1 },
      { truncated: true, bytes: 10_000, nestedDeeperThan: 32 },
      '{not json',
      null,
      null,
    ]);
  });
});
