import { describe, expect, it } from 'vitest';
import type { FingerbankStore } from '../../src/providers/fingerbank/store.js';
import { makeApp } from '../helpers.js';
import { DEMO } from './arbitraries.js';

const RATE_LIMITED = {
  message:
    'The amount of requests per minute has been exceeded. All accounts (even the unlimited ones) are rate limited to 250 requests per minute unless agreed otherwise with Inverse.',
};

describe('concurrent requests', () => {
  it('1,000 at once on one Fingerbank key, sent every way it takes a key: exactly 250 answered, 750 refused, counters exact', async () => {
    const app = await makeApp();
    const store = app.mock.storeOf('fingerbank') as FingerbankStore;
    const before = (await store.findByKey(DEMO.fingerbankUser))!;
    const path = '/api/v2/users/account_info';
    const ways = [
      { url: `${path}/${DEMO.fingerbankUser}` },
      { url: `${path}?key=${DEMO.fingerbankUser}` },
      { url: path, headers: { authorization: `Bearer ${DEMO.fingerbankUser}` } },
    ];
    const started = Date.now();
    const responses = await Promise.all(Array.from({ length: 1000 }, (_, i) => app.inject(ways[i % ways.length]!)));
    expect(Date.now() - started).toBeLessThan(60_000);

    const answered = responses.filter((response) => response.statusCode === 200);
    const refused = responses.filter((response) => response.statusCode === 429);
    expect(answered).toHaveLength(250);
    expect(refused).toHaveLength(750);
    // each of the 250 saw its own place in the window, and its own count
    expect(answered.map((response) => Number(response.headers['x-ratelimit-remaining'])).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 250 }, (_, i) => i),
    );
    expect(new Set(answered.map((response) => response.json().requests)).size).toBe(250);
    for (const response of refused) {
      expect(response.json()).toEqual(RATE_LIMITED);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.headers['x-ratelimit-remaining']).toBe('0');
    }

    const after = (await store.findByKey(DEMO.fingerbankUser))!;
    expect(after.requests - before.requests).toBe(250);
    expect(after.monthly_requests - before.monthly_requests).toBe(250);
    expect(after.timeframed_requests - before.timeframed_requests).toBe(250);
  });

  it('another key keeps its own window while one is exhausted', async () => {
    const app = await makeApp();
    await Promise.all(Array.from({ length: 300 }, () => app.inject({ url: `/api/v2/users/account_info?key=${DEMO.fingerbankUser}` })));
    const admin = await app.inject({ url: '/api/v2/users/account_info', headers: { authorization: `Bearer ${DEMO.fingerbankAdmin}` } });
    expect(admin.statusCode).toBe(200);
    expect(admin.headers['x-ratelimit-remaining']).toBe('249');
  });

  it('500 at once on one Plaspy token: each call counted once, each answer shows its own count', async () => {
    const app = await makeApp();
    const responses = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        app.inject({ url: i % 2 ? '/api/users' : '/api/users/usr-12345', headers: { authorization: `Bearer ${DEMO.plaspy}` } }),
      ),
    );
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    const usages = responses.map((response) => response.json().apiUsage as number).sort((a, b) => a - b);
    expect(usages).toEqual(Array.from({ length: 500 }, (_, i) => 150 + i));
    const last = await app.inject({ url: '/__mock/plaspy/accounts/plaspy-demo-token' });
    expect(last.json()).toMatchObject({ apiUsage: 649, apiDailyUsage: 514 });
  });

  it('300 refused at once on Plaspy: each counted once in the anonymous bucket, each refusal shows its own count', async () => {
    const app = await makeApp();
    const responses = await Promise.all(
      Array.from({ length: 300 }, (_, i) => app.inject({ url: '/api/users', headers: { authorization: `Bearer not-a-token-${i}` } })),
    );
    expect(responses.every((response) => response.statusCode === 401)).toBe(true);
    const usages = responses.map((response) => response.json().apiUsage as number).sort((a, b) => a - b);
    expect(usages).toEqual(Array.from({ length: 300 }, (_, i) => 150 + i));
  });

  it('concurrent control-plane creates: distinct records all kept; the same key created once', async () => {
    const app = await makeApp();
    const url = '/__mock/datafiniti/accounts';
    const seeded = (await app.inject({ url })).json().total as number;
    const created = await Promise.all(Array.from({ length: 200 }, () => app.inject({ method: 'POST', url, payload: {} })));
    expect(created.every((response) => response.statusCode === 201)).toBe(true);
    expect(new Set(created.map((response) => response.json().token)).size).toBe(200);
    const same = await Promise.all(Array.from({ length: 50 }, () => app.inject({ method: 'POST', url, payload: { token: 'one-token' } })));
    expect(same.map((response) => response.statusCode).sort()).toEqual([201, ...Array(49).fill(409)]);
    expect((await app.inject({ url })).json().total).toBe(seeded + 201);
  });
});
