import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { configFromEnvironment, resolveConfig } from '../../src/config.js';
import { BOB_KEY, PATH } from '../providers/fingerbank/accounts.js';
import { makeApp, manualClock } from '../helpers.js';
import { listening, send } from '../hardening/sockets.js';

const START = Date.parse('2026-03-15T10:20:30.000Z');
const BOB = `${PATH}/${BOB_KEY}`;
const PLASPY = { authorization: 'Bearer plaspy-demo-token' };

async function clock(app: FastifyInstance, change?: Record<string, unknown>) {
  const response = change
    ? await app.inject({ method: 'POST', url: '/__mock/clock', payload: change })
    : await app.inject({ url: '/__mock/clock' });
  expect(response.statusCode).toBe(200);
  return response.json() as { now: string; offsetMs: number; frozen: boolean };
}

/** Fingerbank's hourly, monthly and total counters as Bob's next call shows them. */
async function fingerbankUsage(app: FastifyInstance) {
  const body = (await app.inject({ url: BOB })).json();
  return [body.timeframed_requests, body.monthly_requests, body.requests];
}

/** Plaspy's total and daily counters as the demo account's next call shows them. */
async function plaspyUsage(app: FastifyInstance) {
  const body = (await app.inject({ url: '/api/users', headers: PLASPY })).json();
  return [body.apiUsage, body.apiDailyUsage];
}

async function spendFingerbankWindow(app: FastifyInstance) {
  for (let i = 0; i < 250; i++) expect((await app.inject({ url: BOB })).statusCode).toBe(200);
  return app.inject({ url: BOB });
}

describe('GET and POST /__mock/clock', () => {
  it('answers the time beneath when untouched, then moves on, sets, freezes and lets run on top of it', async () => {
    const base = manualClock(START);
    const app = await makeApp({ clock: base });
    expect(await clock(app)).toEqual({ now: '2026-03-15T10:20:30.000Z', offsetMs: 0, frozen: false });
    expect(await clock(app, { advanceMs: 60_000 })).toEqual({ now: '2026-03-15T10:21:30.000Z', offsetMs: 60_000, frozen: false });
    base.advance(1_000); // time beneath runs on: so does the mock's, by as much
    expect(await clock(app)).toEqual({ now: '2026-03-15T10:21:31.000Z', offsetMs: 60_000, frozen: false });
    expect(await clock(app, { freeze: true })).toEqual({ now: '2026-03-15T10:21:31.000Z', offsetMs: 60_000, frozen: true });
    base.advance(5_000);
    expect(await clock(app)).toEqual({ now: '2026-03-15T10:21:31.000Z', offsetMs: 55_000, frozen: true });
    expect(await clock(app, { advanceMs: 1_000 })).toMatchObject({ now: '2026-03-15T10:21:32.000Z', frozen: true });
    expect(await clock(app, { freeze: false })).toEqual({ now: '2026-03-15T10:21:32.000Z', offsetMs: 56_000, frozen: false });
    base.advance(1_000);
    expect((await clock(app)).now).toBe('2026-03-15T10:21:33.000Z');
    expect(await clock(app, { set: '2026-01-01T00:00:00Z' })).toMatchObject({ now: '2026-01-01T00:00:00.000Z', frozen: false });
    expect(await clock(app, { set: '2026-02-01T00:00:00+01:00', advanceMs: 500, freeze: true })).toMatchObject({
      now: '2026-01-31T23:00:00.500Z',
      frozen: true,
    });
  });

  it.each([
    ['nothing', {}],
    ['a zero advance', { advanceMs: 0 }],
    ['a negative advance', { advanceMs: -1 }],
    ['a date that is not ISO 8601', { set: 'yesterday' }],
    ['an unknown field', { offsetMs: 5 }],
    ['a time past 9999', { set: '9999-12-31T23:59:59Z', advanceMs: 1_000 }],
  ])('refuses %s with a 400 in the control plane’s format, leaving the time as it was', async (_name, change) => {
    const app = await makeApp({ clock: manualClock(START) });
    const response = await app.inject({ method: 'POST', url: '/__mock/clock', payload: change });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(await clock(app)).toEqual({ now: '2026-03-15T10:20:30.000Z', offsetMs: 0, frozen: false });
  });

  it('is back to the time beneath, running, after POST /__mock/reset', async () => {
    const app = await makeApp({ clock: manualClock(START) });
    await clock(app, { set: '2030-01-01T00:00:00Z', freeze: true });
    await app.inject({ method: 'POST', url: '/__mock/reset' });
    expect(await clock(app)).toEqual({ now: '2026-03-15T10:20:30.000Z', offsetMs: 0, frozen: false });
  });

  it('follows real time when no clock is given', async () => {
    const app = await makeApp();
    const before = Date.now();
    const view = await clock(app);
    expect(Date.parse(view.now)).toBeGreaterThanOrEqual(before);
    expect(view.frozen).toBe(false);
    expect(Math.abs(view.offsetMs)).toBeLessThan(1_000);
  });

  it('starts frozen at the instant of the clock setting (--clock, MOCK_CLOCK), and a reset goes back there', async () => {
    const app = await makeApp({ clock: '2026-06-30T23:59:00Z' });
    expect((await clock(app)).now).toBe('2026-06-30T23:59:00.000Z');
    expect((await clock(app)).frozen).toBe(true);
    await clock(app, { advanceMs: 120_000 });
    await app.inject({ method: 'POST', url: '/__mock/reset' });
    expect(await clock(app)).toMatchObject({ now: '2026-06-30T23:59:00.000Z', frozen: true });
    await expect(makeApp({ clock: 'tomorrow' })).rejects.toThrow(/clock/);
    expect(resolveConfig(configFromEnvironment({ MOCK_CLOCK: '2026-06-30T23:59:00Z' })).clock).toBe('2026-06-30T23:59:00Z');
  });
});

describe('the mock’s time, moved through the control plane, for rate-limit windows', () => {
  it('advanceMs ends Fingerbank’s window: Retry-After and X-RateLimit-Reset follow the moved time', async () => {
    const app = await makeApp({ clock: manualClock(START) });
    const limited = await spendFingerbankWindow(app);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    await clock(app, { advanceMs: 45_000 });
    const later = await app.inject({ url: BOB });
    expect(later.statusCode).toBe(429);
    expect(later.headers['retry-after']).toBe('15');
    expect(later.headers['x-ratelimit-reset']).toBe('15');
    await clock(app, { advanceMs: 15_000 });
    const reopened = await app.inject({ url: BOB });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.headers['x-ratelimit-remaining']).toBe('249');
    expect(reopened.headers['x-ratelimit-reset']).toBe('60');
  });

  it('set to an earlier time leaves no window stuck: the key has a fresh window, reset within 60 s', async () => {
    const app = await makeApp({ clock: manualClock(START) });
    expect((await spendFingerbankWindow(app)).statusCode).toBe(429);
    await clock(app, { set: '2026-03-15T09:00:00Z' });
    const earlier = await app.inject({ url: BOB });
    expect(earlier.statusCode).toBe(200);
    expect(earlier.headers['x-ratelimit-remaining']).toBe('249');
    expect(earlier.headers['x-ratelimit-reset']).toBe('60');
  });

  it('frozen, a window never ends by itself, and moving the frozen time ends it', async () => {
    const base = manualClock(START);
    const app = await makeApp({ clock: base });
    await clock(app, { freeze: true });
    expect((await spendFingerbankWindow(app)).statusCode).toBe(429);
    base.advance(3_600_000);
    const still = await app.inject({ url: BOB });
    expect(still.statusCode).toBe(429);
    expect(still.headers['retry-after']).toBe('60');
    await clock(app, { advanceMs: 60_000 });
    expect((await app.inject({ url: BOB })).statusCode).toBe(200);
  });
});

describe('the mock’s time, moved through the control plane, for usage counters', () => {
  it('Fingerbank: an advance to the next hour starts the hourly count again; to the next month, the monthly one', async () => {
    const app = await makeApp({ clock: manualClock(Date.parse('2026-03-31T22:20:30.000Z')) });
    expect(await fingerbankUsage(app)).toEqual([3, 126, 1512]);
    await clock(app, { advanceMs: 3_600_000 });
    expect(await fingerbankUsage(app)).toEqual([1, 127, 1513]);
    await clock(app, { set: '2026-04-01T00:00:00Z' });
    expect(await fingerbankUsage(app)).toEqual([1, 1, 1514]);
  });

  it('Fingerbank: moving back to an earlier hour and month counts from zero, never below', async () => {
    const app = await makeApp({ clock: manualClock(START) });
    expect(await fingerbankUsage(app)).toEqual([3, 126, 1512]);
    await clock(app, { set: '2026-02-10T08:00:00Z' });
    expect(await fingerbankUsage(app)).toEqual([1, 1, 1513]);
    await clock(app, { set: '2026-03-15T10:30:00Z' });
    const figures = await fingerbankUsage(app);
    expect(figures.every((figure) => figure >= 1)).toBe(true);
    expect(figures[2]).toBe(1514);
  });

  it('Fingerbank: frozen, the hour never ends by itself', async () => {
    const base = manualClock(Date.parse('2026-03-15T10:59:59.000Z'));
    const app = await makeApp({ clock: base });
    await clock(app, { freeze: true });
    expect(await fingerbankUsage(app)).toEqual([3, 126, 1512]);
    base.advance(7_200_000);
    expect(await fingerbankUsage(app)).toEqual([4, 127, 1513]);
  });

  it('Plaspy: an advance past UTC midnight starts apiDailyUsage again; moving back leaves it at zero or more', async () => {
    const app = await makeApp({ clock: manualClock(Date.parse('2026-03-15T23:00:00.000Z')) });
    expect(await plaspyUsage(app)).toEqual([150, 15]);
    await clock(app, { advanceMs: 3_600_000 });
    expect(await plaspyUsage(app)).toEqual([151, 1]);
    await clock(app, { set: '2026-03-14T12:00:00Z' });
    expect(await plaspyUsage(app)).toEqual([152, 1]);
  });

  it('Plaspy: frozen, the day never ends by itself', async () => {
    const base = manualClock(Date.parse('2026-03-15T23:59:00.000Z'));
    const app = await makeApp({ clock: base });
    await clock(app, { freeze: true });
    base.advance(86_400_000);
    expect(await plaspyUsage(app)).toEqual([150, 15]);
  });
});

describe('the mock’s time, moved through the control plane, for dates stamped on new records and the journal', () => {
  it('stamps new Plaspy and Datonis users, and the journal’s entries, with the mock’s time', async () => {
    const app = await makeApp({ clock: manualClock(START) });
    await clock(app, { set: '2031-07-04T12:00:00Z', freeze: true });
    const plaspy = await app.inject({
      method: 'PATCH',
      url: '/__mock/plaspy/accounts/plaspy-demo-token/users/usr-12345',
      payload: { description: 'moved' },
    });
    expect(plaspy.json().modification).toMatch(/^2031-07-04T12:00:00/);
    const datonis = await app.inject({ method: 'POST', url: '/__mock/datonis/accounts/a7c2e9f41b/users', payload: {} });
    expect(datonis.json().created_at).toBe(Date.parse('2031-07-04T12:00:00Z') / 1000);
    await app.inject({ url: BOB });
    const journal = (await app.inject({ url: '/__mock/requests' })).json();
    expect(journal.requests.at(-1).time).toBe('2031-07-04T12:00:00.000Z');
  });
});

describe('the span the mock’s time may take, over a socket', () => {
  const post = (url: string, change: object) =>
    send(`${url}/__mock/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) });

  it('keeps a running time a century from the end of 9999, frozen to its very end, and says the range', async () => {
    const { url } = await listening({ clock: manualClock(START) });
    const running = await post(url, { set: '9999-12-31T23:59:59.990Z' });
    expect(running.status).toBe(400);
    expect(JSON.parse(running.body)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'The mock’s time stays between 1970-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z, and runs only before 9900-01-01T00:00:00.000Z (a later time must be frozen, "freeze": true), e.g. {"set": "2026-03-15T10:20:30Z"}',
    });
    expect(JSON.parse((await post(url, { set: '10000-01-01T00:00:00Z' })).body).message).toMatch(/^Invalid body 'set'|^The mock’s time stays between/);
    expect(JSON.parse((await post(url, { set: '9999-12-31T23:59:59Z', advanceMs: 1_000, freeze: true })).body).message).toMatch(
      /^The mock’s time stays between 1970/,
    );
    const frozen = await post(url, { set: '9999-12-31T23:59:59.990Z', freeze: true });
    expect(frozen.status).toBe(200);
    // letting a frozen time past 9900 run again is refused too
    expect((await post(url, { freeze: false })).status).toBe(400);
    expect(JSON.parse((await send(`${url}/__mock/clock`)).body)).toMatchObject({ now: '9999-12-31T23:59:59.990Z', frozen: true });
    expect((await post(url, { set: '9899-12-31T23:59:59Z', freeze: false })).status).toBe(200);
  });

  it('names a leap second the date-time format lets pass, with an example', async () => {
    const { url } = await listening({ clock: manualClock(START) });
    const leap = await post(url, { set: '2026-06-30T23:59:60Z' });
    expect(leap.status).toBe(400);
    expect(JSON.parse(leap.body).message).toBe(
      `Invalid body 'set': '2026-06-30T23:59:60Z' is no instant (seconds run 00 to 59); e.g. "2026-03-15T10:20:30Z"`,
    );
    expect(JSON.parse((await send(`${url}/__mock/clock`)).body).now).toBe('2026-03-15T10:20:30.000Z');
  });
});
