import { describe, expect, it } from 'vitest';
import { basic, makeApp } from '../helpers.js';

const BOB = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
const FINGERBANK_502 = {
  message:
    'No API backend was able to process the request. The system may be overloaded, in maintenance or experiencing an issue. Retrying shortly after should work.',
};

describe('faults', () => {
  it('answers exactly two 502s in Fingerbank’s format, then normal answers', async () => {
    const app = await makeApp();
    const added = await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', status: 502, times: 2 } });
    expect(added.statusCode).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await app.inject({ url: `/api/v2/users/account_info/${BOB}` });
      statuses.push(response.statusCode);
      if (response.statusCode === 502) expect(response.json()).toEqual(FINGERBANK_502);
    }
    expect(statuses).toEqual([502, 502, 200, 200]);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
  });

  it('leaves the other providers alone', async () => {
    const app = await makeApp();
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', status: 503 } });
    const datafiniti = await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX') } });
    expect(datafiniti.statusCode).toBe(200);
  });

  it('aims at one route when asked', async () => {
    const app = await makeApp();
    await app.inject({
      method: 'POST',
      url: '/__mock/faults',
      payload: { provider: 'plaspy', route: '/api/users/:userId', status: 500, message: 'boom' },
    });
    const headers = { authorization: 'Bearer plaspy-demo-token' };
    expect((await app.inject({ url: '/api/users', headers })).statusCode).toBe(200);
    const one = await app.inject({ url: '/api/users/usr-12345', headers });
    expect(one.statusCode).toBe(500);
    expect(one.json()).toMatchObject({ success: false, error: 'boom' });
  });

  it('applies with probability 0 never and with probability 1 always', async () => {
    const app = await makeApp();
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datonis', status: 503, probability: 0 } });
    const headers = { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' };
    for (let i = 0; i < 5; i++) expect((await app.inject({ url: '/api/v3/users', headers })).statusCode).toBe(200);
    await app.inject({ method: 'DELETE', url: '/__mock/faults' });
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datonis', status: 503, probability: 1 } });
    const failed = await app.inject({ url: '/api/v3/users', headers });
    expect(failed.statusCode).toBe(503);
    expect(failed.json()).toEqual({ error: { code: 503, message: 'Service Unavailable' } });
  });

  it('a fault’s headers replace the route’s own, on a normal answer and on a forced status', async () => {
    const app = await makeApp();
    const url = `/api/v2/users/account_info?key=${BOB}`;
    expect((await app.inject({ url })).headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', headers: { 'X-RateLimit-Remaining': 'lots' }, times: 1 } });
    const drifted = await app.inject({ url });
    expect(drifted.statusCode).toBe(200);
    expect(drifted.headers['x-ratelimit-remaining']).toBe('lots');
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'fingerbank', status: 429, headers: { 'Retry-After': '5' }, times: 1 } });
    const limited = await app.inject({ url });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('5');
    expect((await app.inject({ url })).headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
  });

  it('adds the asked latency', async () => {
    const app = await makeApp();
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datafiniti', delayMs: 200, times: 1 } });
    const started = performance.now();
    const response = await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX') } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(response.statusCode).toBe(200);
  });

  it('takes Prism’s Prefer header for one request: code and delay', async () => {
    const app = await makeApp();
    const forced = await app.inject({ url: '/v3/users', headers: { prefer: 'code=429' } });
    expect(forced.statusCode).toBe(429);
    expect(forced.json()).toEqual({ error: 'Too Many Requests', message: 'Too Many Requests', code: 429 });
    const started = performance.now();
    const slow = await app.inject({
      url: '/v3/users',
      headers: { prefer: 'delay=150', authorization: basic('AAAXXXXXXXXXXXX') },
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(slow.statusCode).toBe(200);
    const ignored = await app.inject({ url: '/v3/users', headers: { prefer: 'code=abc', authorization: basic('AAAXXXXXXXXXXXX') } });
    expect(ignored.statusCode).toBe(200);
  });

  it('lists and removes faults one at a time or by provider', async () => {
    const app = await makeApp();
    const a = (await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datonis', status: 500 } })).json();
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', status: 500 } });
    expect((await app.inject({ url: '/__mock/faults?provider=plaspy' })).json()).toHaveLength(1);
    expect((await app.inject({ method: 'DELETE', url: `/__mock/faults/${a.id}` })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/__mock/faults/${a.id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/__mock/faults?provider=plaspy' })).json()).toEqual({ cleared: 1 });
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
  });

  it.each([
    ['an unknown provider', { provider: 'stripe', status: 500 }, "'provider'"],
    ['a negative count', { provider: 'datonis', status: 500, times: -1 }, "'times'"],
    ['a status that is not an error', { provider: 'datonis', status: 200 }, "'status'"],
    ['a probability above 1', { provider: 'datonis', status: 500, probability: 2 }, "'probability'"],
    ['neither status nor delay', { provider: 'datonis' }, 'needs a status'],
    ['an unknown route', { provider: 'datonis', route: '/nope', status: 500 }, "No route '/nope'"],
    ['an unknown field', { provider: 'datonis', status: 500, colour: 'red' }, "'colour'"],
    ['malformed JSON', '{"provider":', 'JSON'],
  ])('refuses %s with a clear 400 and adds nothing', async (_name, payload, message) => {
    const app = await makeApp();
    const response = await app.inject({
      method: 'POST',
      url: '/__mock/faults',
      headers: { 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.json().message).toContain(message);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
  });
});
