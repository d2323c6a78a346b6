import { describe, expect, it } from 'vitest';
import { basic, makeApp } from '../helpers.js';

describe('GET /__mock/accounts', () => {
  it('lists every provider’s demo credentials and account count', async () => {
    const app = await makeApp({ users: 5 });
    const { providers } = (await app.inject({ url: '/__mock/accounts' })).json();
    expect(providers.map((entry: { provider: string }) => entry.provider)).toEqual(['datafiniti', 'fingerbank', 'plaspy', 'datonis']);
    const values = providers.flatMap((entry: { credentials: { value: string }[] }) => entry.credentials.map((c) => c.value));
    expect(values).toEqual(
      expect.arrayContaining(['AAAXXXXXXXXXXXX', '9e1808205b91362f9e3543aa4cea406e4aeedc69', 'plaspy-demo-token', 'WtUFnj8pvSxVnH9e_xkq7A']),
    );
    expect(providers[0].accounts).toBe(6);
  });
});

describe('accounts and users at run time', () => {
  it('creates a blocked Fingerbank account that answers 403', async () => {
    const app = await makeApp();
    const key = 'b'.repeat(40);
    const created = await app.inject({ method: 'POST', url: '/__mock/fingerbank/accounts', payload: { key, blocked: true } });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key, blocked: true });
    const response = await app.inject({ url: `/api/v2/users/account_info/${key}` });
    expect(response.statusCode).toBe(403);
  });

  it('puts a Fingerbank key near its monthly limit', async () => {
    const app = await makeApp();
    const key = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
    const changed = await app.inject({
      method: 'PATCH',
      url: `/__mock/fingerbank/accounts/${key}`,
      payload: { monthly_requests: 999_999 },
    });
    expect(changed.json().monthly_requests).toBe(999_999);
    const answer = (await app.inject({ url: `/api/v2/users/account_info/${key}` })).json();
    expect(answer).toMatchObject({ monthly_requests: 1_000_000, monthly_limit: 1_000_000 });
  });

  it('disables a Plaspy user, who is still listed as disabled', async () => {
    const app = await makeApp();
    const changed = await app.inject({
      method: 'PATCH',
      url: '/__mock/plaspy/accounts/plaspy-demo-token/users/usr-12345',
      payload: { disabled: true, disabledMessage: 'Suspended' },
    });
    expect(changed.statusCode).toBe(200);
    const user = (await app.inject({ url: '/api/users/usr-12345', headers: { authorization: 'Bearer plaspy-demo-token' } })).json();
    expect(user).toMatchObject({ success: true, disabled: true, disabledMessage: 'Suspended', password: null });
  });

  it('never shows a Plaspy password, even one set through the control plane', async () => {
    const app = await makeApp();
    const created = await app.inject({
      method: 'POST',
      url: '/__mock/plaspy/accounts/plaspy-demo-token/users',
      payload: { id: 'usr-1', name: 'Ann', password: 'hunter2' },
    });
    expect(created.statusCode).toBe(400);
    const user = await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts/plaspy-demo-token/users', payload: { id: 'usr-1' } });
    expect(user.json().password).toBeNull();
  });

  it('gives a Datonis account 10,000 generated users, searchable at once', async () => {
    const app = await makeApp({ users: 0 });
    const created = await app.inject({ method: 'POST', url: '/__mock/datonis/accounts', payload: { tokens: ['big-org-token'] } });
    expect(created.statusCode).toBe(201);
    const key = created.json().organisation_key;
    const generated = await app.inject({ method: 'POST', url: `/__mock/datonis/accounts/${key}/users/generate`, payload: { count: 10_000 } });
    expect(generated.json()).toEqual({ total: 10_000 });
    const page = (await app.inject({ url: '/api/v3/users?per=5', headers: { 'x-auth-token': 'big-org-token' } })).json();
    expect(page.total_count).toBe(10_000);
    expect(page.users).toHaveLength(5);
  });

  it('creates, reads, changes and deletes a Datafiniti account, which then opens and closes', async () => {
    const app = await makeApp();
    const base = '/__mock/datafiniti/accounts';
    const created = await app.inject({ method: 'POST', url: base, payload: { token: 'NEWTOKEN', organization: 'Initech' } });
    expect(created.statusCode).toBe(201);
    expect((await app.inject({ url: `${base}/NEWTOKEN` })).json().organization).toBe('Initech');
    await app.inject({ method: 'PATCH', url: `${base}/NEWTOKEN`, payload: { plan_id: 'enterprise' } });
    const answer = await app.inject({ url: '/v3/users', headers: { authorization: basic('NEWTOKEN') } });
    expect(answer.json()[0]).toMatchObject({ token: 'NEWTOKEN', organization: 'Initech', plan_id: 'enterprise' });
    expect((await app.inject({ method: 'DELETE', url: `${base}/NEWTOKEN` })).statusCode).toBe(204);
    expect((await app.inject({ url: '/v3/users', headers: { authorization: basic('NEWTOKEN') } })).statusCode).toBe(401);
  });

  it('adds a Datonis user who then appears in searches', async () => {
    const app = await makeApp();
    const url = '/__mock/datonis/accounts/a7c2e9f41b/users';
    const created = await app.inject({ method: 'POST', url, payload: { user_key: 'zz99', first_name: 'Zed', tags: ['forklift'] } });
    expect(created.statusCode).toBe(201);
    const found = (await app.inject({ url: '/api/v3/users?search=forklift', headers: { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' } })).json();
    expect(found.users.map((user: { user_key: string }) => user.user_key)).toEqual(['zz99']);
    expect(found.users[0].tags).toEqual(['forklift']);
    expect((await app.inject({ method: 'DELETE', url: `${url}/zz99` })).statusCode).toBe(204);
  });

  it('pages listings', async () => {
    const app = await makeApp({ users: 7 });
    const page = (await app.inject({ url: '/__mock/fingerbank/accounts?page=2&per=3' })).json();
    expect(page).toMatchObject({ page: 2, per: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.total).toBeGreaterThanOrEqual(7);
  });
});

describe('control-plane bad input', () => {
  it.each([
    ['an unknown provider', 'POST', '/__mock/stripe/accounts', {}, 404],
    ['an unknown account', 'PATCH', '/__mock/datafiniti/accounts/NOPE', { plan_id: 'x' }, 404],
    ['an unknown field', 'POST', '/__mock/datafiniti/accounts', { colour: 'red' }, 400],
    ['a wrong type', 'POST', '/__mock/fingerbank/accounts', { level: 'high' }, 400],
    ['a duplicate key', 'POST', '/__mock/fingerbank/accounts', { key: '9e1808205b91362f9e3543aa4cea406e4aeedc69' }, 409],
    ['a duplicate Datonis token', 'POST', '/__mock/datonis/accounts', { tokens: ['WtUFnj8pvSxVnH9e_xkq7A'] }, 409],
    ['changing an account’s key', 'PATCH', '/__mock/datafiniti/accounts/AAAXXXXXXXXXXXX', { token: 'other' }, 400],
    ['a negative count', 'POST', '/__mock/datonis/accounts/a7c2e9f41b/users/generate', { count: -5 }, 400],
    ['too many at once', 'POST', '/__mock/datonis/accounts/a7c2e9f41b/users/generate', { count: 5_000_000 }, 400],
    ['users of an unknown account', 'GET', '/__mock/plaspy/accounts/nope/users', undefined, 404],
    ['a bad page', 'GET', '/__mock/datafiniti/accounts?page=0', undefined, 400],
  ])('answers %s with a clear %s… and changes nothing', async (_name, method, url, payload, status) => {
    const app = await makeApp();
    const before = (await app.inject({ url: '/__mock/accounts' })).body;
    const response = await app.inject({ method: method as 'POST', url, payload: payload as object | undefined });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ statusCode: status, error: expect.any(String), message: expect.any(String) });
    expect((await app.inject({ url: '/__mock/accounts' })).body).toBe(before);
  });

  it('answers a malformed JSON body with 400', async () => {
    const app = await makeApp();
    const response = await app.inject({
      method: 'POST',
      url: '/__mock/datafiniti/accounts',
      headers: { 'content-type': 'application/json' },
      payload: '{"token":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/JSON/);
  });
});
