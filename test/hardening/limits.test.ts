import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config.js';
import { MAX_JOURNAL_BODY_BYTES } from '../../src/state/journal.js';
import { MAX_NESTING_DEPTH, TOO_DEEP } from '../../src/http/nesting.js';
import { DEFAULT_LIMITS } from '../../src/control/limits.js';
import { makeApp } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { errorFormatProblem } from './formats.js';

describe('what the control plane may add', () => {
  it('is bounded per provider between resets, with a clear 422 that adds nothing', async () => {
    const app = await makeApp({ controlLimits: { recordsPerProvider: 5, generateAtOnce: 3 } });
    const datafiniti = '/__mock/datafiniti/accounts';
    const seeded = (await app.inject({ url: datafiniti })).json().total as number;
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'POST', url: datafiniti, payload: {} })).statusCode).toBe(201);
    const refused = await app.inject({ method: 'POST', url: datafiniti, payload: {} });
    expect(refused.statusCode).toBe(422);
    expect(errorFormatProblem('control', 422, refused.json())).toBeUndefined();
    expect(refused.json().message).toBe(
      'The control plane adds at most 5 records (accounts and users) to Datafiniti between resets, and has added 5; POST /__mock/reset starts again',
    );
    expect((await app.inject({ url: datafiniti })).json().total).toBe(seeded + 5);

    // another provider has its own allowance
    expect((await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts', payload: {} })).statusCode).toBe(201);

    await app.inject({ method: 'POST', url: '/__mock/reset' });
    expect((await app.inject({ method: 'POST', url: datafiniti, payload: {} })).statusCode).toBe(201);
  });

  it('counts generated users and created users together, and only those really added', async () => {
    const app = await makeApp({ controlLimits: { recordsPerProvider: 5, generateAtOnce: 3 } });
    const users = '/__mock/datonis/accounts/c5d8b3e62a/users';
    const tooMany = await app.inject({ method: 'POST', url: `${users}/generate`, payload: { count: 4 } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toBe("Invalid body 'count': must be <= 3");
    expect((await app.inject({ method: 'POST', url: '/__mock/datonis/accounts/nope/users/generate', payload: { count: 3 } })).statusCode).toBe(404);
    const generated = await app.inject({ method: 'POST', url: `${users}/generate`, payload: { count: 3 } });
    expect(generated.statusCode).toBe(201);
    // a refused create spends nothing
    const duplicate = await app.inject({ method: 'POST', url: '/__mock/datonis/accounts/a7c2e9f41b/users', payload: { user_key: '1e5228ttd8' } });
    expect(duplicate.statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: users, payload: {} })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: users, payload: {} })).statusCode).toBe(201);
    const over = await app.inject({ method: 'POST', url: `${users}/generate`, payload: { count: 1 } });
    expect(over.statusCode).toBe(422);
    expect((await app.inject({ url: users })).json().total).toBe(5 + 3 + 2);
  });

  it('defaults to a million records per provider, a hundred thousand per generate call, 20,000 users per account, 1,000 faults', async () => {
    expect(DEFAULT_LIMITS).toMatchObject({ recordsPerProvider: 1_000_000, generateAtOnce: 100_000, usersPerAccount: 20_000, faults: 1_000 });
    const app = await makeApp();
    const response = await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users/generate', payload: { count: 100_001 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBe("Invalid body 'count': must be <= 100000");
  });
});

describe('users added to one account', () => {
  it('are at most 20,000 between resets, created and generated together: a clear 422 beyond, other accounts unaffected', async () => {
    const app = await makeApp();
    const acme = '/__mock/datonis/accounts/c5d8b3e62a/users';
    for (const count of [100_000, 20_001]) {
      // once, the issue's 10 calls of 100,000 into one organisation made every ordered page take seconds
      const refused = await app.inject({ method: 'POST', url: `${acme}/generate`, payload: { count } });
      expect(refused.statusCode).toBe(422);
      expect(errorFormatProblem('control', 422, refused.json())).toBeUndefined();
    }
    expect((await app.inject({ method: 'POST', url: `${acme}/generate`, payload: { count: 19_999 } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: acme, payload: {} })).statusCode).toBe(201);
    const over = await app.inject({ method: 'POST', url: acme, payload: {} });
    expect(over.statusCode).toBe(422);
    expect(over.json().message).toBe(
      "The control plane adds at most 20000 users to one Datonis account between resets, and has added 20000 to 'c5d8b3e62a'; --users generates more, indexed; POST /__mock/reset starts again",
    );
    const ordered = await app.inject({ url: '/api/v3/users?order_by=email&search=john', headers: { 'x-auth-token': DEMO.datonisChild } });
    expect(ordered.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/__mock/datonis/accounts/a7c2e9f41b/users/generate', payload: { count: 10 } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users/generate', payload: { count: 20_000 } })).statusCode).toBe(201);
    await app.inject({ method: 'POST', url: '/__mock/reset' });
    expect((await app.inject({ method: 'POST', url: acme, payload: {} })).statusCode).toBe(201);
  });
});

describe('faults in force', () => {
  it('are at most 1,000: the next is a 422 in the control format, accepted again once some are cleared', async () => {
    const app = await makeApp();
    const fault = { provider: 'plaspy', status: 503, route: '/api/users/:userId' };
    for (let i = 0; i < 1_000; i++) expect((await app.inject({ method: 'POST', url: '/__mock/faults', payload: fault })).statusCode).toBe(201);
    const refused = await app.inject({ method: 'POST', url: '/__mock/faults', payload: fault });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'At most 1000 faults may be in force at once; DELETE /__mock/faults clears them',
    });
    expect((await app.inject({ url: '/__mock/faults' })).json()).toHaveLength(1_000);
    expect((await app.inject({ method: 'DELETE', url: '/__mock/faults/fault-1' })).statusCode).toBe(204);
    expect((await app.inject({ method: 'POST', url: '/__mock/faults', payload: fault })).statusCode).toBe(201);
  });
});

describe('paging bounds', () => {
  const datonis = { 'x-auth-token': DEMO.datonis };

  it.each([
    ['per=0', 'per'],
    ['per=1001', 'per'],
    ['per=-1', 'per'],
    ['per=1.5', 'per'],
    ['per=many', 'per'],
    ['page=0', 'page'],
    ['page=1000000001', 'page'],
    ['page=-3', 'page'],
  ])('Datonis refuses %s with a 400 naming the parameter', async (query, name) => {
    const app = await makeApp();
    const response = await app.inject({ url: `/api/v3/users?${query}`, headers: datonis });
    expect(response.statusCode).toBe(400);
    expect(errorFormatProblem('datonis', 400, response.json())).toBeUndefined();
    expect(response.json().error.message).toContain(`'${name}'`);
    const asBody = await app.inject({ url: '/api/v3/users', headers: { ...datonis, 'content-type': 'application/json' }, payload: `{"${name}":${JSON.stringify(query.split('=')[1])}}` });
    expect(asBody.statusCode).toBe(400);
  });

  it('Datonis answers at the bounds themselves', async () => {
    const app = await makeApp({ users: 5 });
    const most = await app.inject({ url: '/api/v3/users?per=1000', headers: datonis });
    expect(most.json().users).toHaveLength(3);
    const one = await app.inject({ url: '/api/v3/users?per=1', headers: datonis });
    expect(one.json().users).toHaveLength(1);
    const last = await app.inject({ url: '/api/v3/users?page=1000000000', headers: datonis });
    expect(last.json()).toEqual({ total_count: 3, page: '1000000000', users: [] });
  });

  it.each(['per=0', 'per=1001', 'page=0', 'page=1000000001', 'per=x'])('the control plane refuses %s with a 400', async (query) => {
    const app = await makeApp();
    const response = await app.inject({ url: `/__mock/datonis/accounts?${query}` });
    expect(response.statusCode).toBe(400);
    expect(errorFormatProblem('control', 400, response.json())).toBeUndefined();
    expect(response.json().message).toContain(`'${query.split('=')[0]}'`);
  });

  it('the control plane answers at the bounds themselves', async () => {
    const app = await makeApp();
    expect((await app.inject({ url: '/__mock/fingerbank/accounts?per=1000&page=1' })).statusCode).toBe(200);
    const past = await app.inject({ url: '/__mock/fingerbank/accounts?per=1&page=1000000000' });
    expect(past.json()).toMatchObject({ page: 1_000_000_000, per: 1, items: [] });
  });
});

describe('the journal', () => {
  const datafiniti = { authorization: `Basic ${Buffer.from(`${DEMO.datafiniti}:`).toString('base64')}` };

  it('keeps the last MOCK_JOURNAL_SIZE requests, oldest dropped first', async () => {
    const app = await makeApp({ journalSize: 5 });
    for (let i = 1; i <= 12; i++) await app.inject({ url: `/v3/users?n=${i}`, headers: datafiniti });
    const journal = (await app.inject({ url: '/__mock/requests' })).json();
    expect(journal.capacity).toBe(5);
    expect(journal.requests.map((entry: { query: { n: string } }) => entry.query.n)).toEqual(['8', '9', '10', '11', '12']);
  });

  it('keeps nothing with a size of 0', async () => {
    const app = await makeApp({ journalSize: 0 });
    await app.inject({ url: '/v3/users', headers: datafiniti });
    expect((await app.inject({ url: '/__mock/requests' })).json()).toMatchObject({ capacity: 0, requests: [] });
  });

  it('keeps a large body as a note of its size', async () => {
    const app = await makeApp();
    const payload = JSON.stringify({ search: 'x'.repeat(MAX_JOURNAL_BODY_BYTES) });
    await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': DEMO.datonis, 'content-type': 'application/json' }, payload });
    const [entry] = (await app.inject({ url: '/__mock/requests' })).json().requests;
    expect(entry.body).toEqual({ truncated: true, bytes: Buffer.byteLength(payload) });
  });

  it('refuses a read limit out of bounds', async () => {
    const app = await makeApp();
    for (const limit of ['0', '100001', '-1', 'all']) {
      const response = await app.inject({ url: `/__mock/requests?limit=${limit}` });
      expect(response.statusCode, limit).toBe(400);
      expect(errorFormatProblem('control', 400, response.json())).toBeUndefined();
    }
  });
});

describe('configured limits', () => {
  it.each([
    [{ journalSize: 100_001 }, 'journalSize'],
    [{ journalSize: -1 }, 'journalSize'],
    [{ bodyLimit: 1023 }, 'bodyLimit'],
    [{ bodyLimit: 16_777_217 }, 'bodyLimit'],
    [{ users: 1_000_001 }, 'users'],
  ])('%o is refused at start-up, naming the setting', (input, name) => {
    expect(() => resolveConfig(input)).toThrow(ConfigError);
    expect(() => resolveConfig(input)).toThrow(name);
  });
});

describe('nesting depth', () => {
  /** A body `levels` deep: `{"x": [[…]]}` as the issue sent, or the control plane's `{"name": {…}}`. */
  const datonisBody = (levels: number) => `{"x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;
  const controlBody = (levels: number) => `{"name":${'{"a":'.repeat(levels - 2)}{}${'}'.repeat(levels - 2)}}`;

  it('a Datonis GET body deeper than 32 levels is a 400 in the Datonis format, whatever its depth', async () => {
    const app = await makeApp();
    for (const levels of [33, 3_246, 100_000]) {
      const response = await app.inject({
        url: '/api/v3/users',
        headers: { 'x-auth-token': DEMO.datonis, 'content-type': 'application/json' },
        payload: datonisBody(levels),
      });
      expect(response.statusCode, String(levels)).toBe(400);
      expect(response.json()).toEqual({ error: { code: 400, message: TOO_DEEP } });
    }
    const at = await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': DEMO.datonis }, payload: datonisBody(MAX_NESTING_DEPTH) });
    expect(at.json().error?.message).not.toBe(TOO_DEEP);
  });

  it('a control-plane body deeper than 32 levels is a 400 in the control format', async () => {
    const app = await makeApp();
    for (const levels of [33, 5_000]) {
      const response = await app.inject({
        method: 'POST',
        url: '/__mock/plaspy/accounts',
        headers: { 'content-type': 'application/json' },
        payload: controlBody(levels),
      });
      expect(response.statusCode, String(levels)).toBe(400);
      expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: TOO_DEEP });
    }
    const at = await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts', headers: { 'content-type': 'application/json' }, payload: controlBody(32) });
    expect(at.statusCode).toBe(400);
    expect(at.json().message).not.toBe(TOO_DEEP);
  });
});

describe('what a control-plane write may store', () => {
  const datonisUsers = '/__mock/datonis/accounts/a7c2e9f41b/users';
  const strPage = (app: Awaited<ReturnType<typeof makeApp>>) =>
    app.inject({ url: '/api/v3/users?timestamp_format=str&per=1000', headers: { 'x-auth-token': DEMO.datonis } });

  it('a Datonis time outside years 1 to 9999 is a 400, so that every page still shows it', async () => {
    const app = await makeApp();
    for (const created_at of [9_000_000_000_000, 253_402_300_800, -62_135_596_801]) {
      const refused = await app.inject({ method: 'POST', url: datonisUsers, payload: { created_at } });
      expect(refused.statusCode, String(created_at)).toBe(400);
      expect(errorFormatProblem('control', 400, refused.json())).toBeUndefined();
    }
    const patched = await app.inject({ method: 'PATCH', url: `${datonisUsers}/1e5228ttd8`, payload: { updated_at: -9e12 } });
    expect(patched.statusCode).toBe(400);
    expect((await strPage(app)).statusCode).toBe(200);

    const last = await app.inject({ method: 'POST', url: datonisUsers, payload: { created_at: 253_402_300_799, updated_at: -62_135_596_800 } });
    expect(last.statusCode).toBe(201);
    const page = await strPage(app);
    expect(page.statusCode).toBe(200);
    expect(page.json().users.at(-1)).toMatchObject({ created_at: '9999/12/31 23:59:59', updated_at: '0001/01/01 00:00:00' });
  });

  it('a number above 10^15 is a 400; a counter set at 10^15 still counts every call', async () => {
    const app = await makeApp();
    const over = [
      ['/__mock/plaspy/accounts/plaspy-demo-token', { apiUsage: 2 ** 53 }],
      ['/__mock/plaspy/accounts/plaspy-demo-token', { apiDailyUsage: 1e15 + 1 }],
      [`/__mock/fingerbank/accounts/${DEMO.fingerbankUser}`, { requests: 2 ** 53 + 2 }],
      [`/__mock/datafiniti/accounts/${DEMO.datafiniti}`, { available_downloads: -(2 ** 60) }],
    ] as const;
    for (const [url, payload] of over) {
      const refused = await app.inject({ method: 'PATCH', url, payload });
      expect(refused.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
      expect(errorFormatProblem('control', 400, refused.json())).toBeUndefined();
    }
    expect((await app.inject({ method: 'PATCH', url: over[0][0], payload: { apiUsage: 1e15 } })).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${DEMO.plaspy}` } });
    expect((await app.inject({ url: over[0][0] })).json().apiUsage).toBe(1e15 + 2);
  });
});
