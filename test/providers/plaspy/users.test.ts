import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { userAnswer } from '../../../src/providers/plaspy/routes.js';
import type { PlaspyStore } from '../../../src/providers/plaspy/store.js';
import { makeApp, manualClock } from '../../helpers.js';

const DEMO = { authorization: 'Bearer plaspy-demo-token' };

/** The user of the documented examples, field for field and in the documented order. */
const JOHN = {
  id: 'usr-12345',
  name: 'John Doe',
  email: 'john.doe@example.com',
  country: 'USA',
  timeZone: 'America/New_York',
  description: 'System Administrator',
  message: null,
  disabled: false,
  disabledMessage: null,
  tags: { role: 'admin' },
  privileges: ['read', 'write', 'execute'],
  group: 'Admins',
  deviceId: 'dev-67890',
  adminDevices: 5,
  from: '2023-01-01T00:00:00Z',
  expires: '2024-01-01T00:00:00Z',
  password: null,
  creation: '2023-01-01T00:00:00Z',
  modification: '2023-06-01T00:00:00Z',
  lastLogin: '2024-05-01T00:00:00Z',
};

const NEW_USER = { name: 'Ana Ruiz', email: 'ana@example.com', country: 'COL', timeZone: 'America/Bogota' };

function storeOf(app: FastifyInstance): PlaspyStore {
  return app.mock.storeOf('plaspy') as PlaspyStore;
}

function generatedAccount(app: FastifyInstance) {
  const account = storeOf(app).listAccounts().find((candidate) => candidate.token !== 'plaspy-demo-token');
  if (!account) throw new Error('no generated account');
  return account;
}

function usage(body: { apiUsage: number; apiDailyUsage: number }) {
  return [body.apiUsage, body.apiDailyUsage];
}

describe('Plaspy GET /api/users', () => {
  it('answers the documented list on a fresh server', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users', headers: DEMO });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ success: true, apiUsage: 150, apiDailyUsage: 15, users: [JOHN] });
  });

  it('writes the fields in the documented order', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users', headers: DEMO });
    expect(response.body).toBe(
      JSON.stringify({ success: true, apiUsage: 150, apiDailyUsage: 15, users: [JOHN] }),
    );
  });

  it('lists a generated account’s own users, and only to its token', async () => {
    const app = await makeApp({ users: 3 });
    const generated = generatedAccount(app);
    const response = await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${generated.token}` } });
    expect(response.statusCode).toBe(200);
    const users = response.json().users as { id: string }[];
    expect(users).toHaveLength(3);
    expect(users.map((user) => user.id)).not.toContain('usr-12345');
    expect(usage(response.json())).toEqual([1, 1]);
  });

  it('returns disabled users like any other', async () => {
    const app = await makeApp();
    storeOf(app).createUser('plaspy-demo-token', {
      ...NEW_USER,
      id: 'usr-off',
      disabled: true,
      disabledMessage: 'Unpaid invoice.',
    });
    const list = await app.inject({ url: '/api/users', headers: DEMO });
    expect(list.json().users[1]).toMatchObject({ id: 'usr-off', disabled: true, disabledMessage: 'Unpaid invoice.' });
    const one = await app.inject({ url: '/api/users/usr-off', headers: DEMO });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ success: true, id: 'usr-off', disabled: true });
  });

  it('never discloses a password, even one the store holds', async () => {
    const app = await makeApp();
    storeOf(app).createUser('plaspy-demo-token', { ...NEW_USER, id: 'usr-pw', password: 'secret-hash' });
    const list = await app.inject({ url: '/api/users', headers: DEMO });
    const one = await app.inject({ url: '/api/users/usr-pw', headers: DEMO });
    expect(list.json().users.map((user: { password: unknown }) => user.password)).toEqual([null, null]);
    expect(one.json().password).toBeNull();
    expect(list.body + one.body).not.toContain('secret-hash');
  });

  it('blanks the password where a stored user becomes an answer, before serialization', async () => {
    const app = await makeApp();
    const stored = storeOf(app).createUser('plaspy-demo-token', { ...NEW_USER, password: 'secret-hash' });
    expect(userAnswer(stored)).toEqual({ ...stored, password: null });
  });
});

describe('Plaspy GET /api/users/:userId', () => {
  it('answers the documented request GET /api/users/12345 with the documented user usr-12345', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users/12345', headers: DEMO });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ success: true, apiUsage: 150, apiDailyUsage: 15, ...JOHN });
    expect(response.body).toBe(JSON.stringify({ success: true, apiUsage: 150, apiDailyUsage: 15, ...JOHN }));
  });

  it('answers the full id usr-12345 the same way', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users/usr-12345', headers: DEMO });
    expect(response.json()).toEqual({ success: true, apiUsage: 150, apiDailyUsage: 15, ...JOHN });
  });

  it('prefers a user whose id is exactly the one asked for over usr-<id>', async () => {
    const app = await makeApp();
    storeOf(app).createUser('plaspy-demo-token', { ...NEW_USER, id: '12345' });
    const exact = await app.inject({ url: '/api/users/12345', headers: DEMO });
    expect(exact.json()).toMatchObject({ id: '12345', name: 'Ana Ruiz' });
    const prefixed = await app.inject({ url: '/api/users/usr-12345', headers: DEMO });
    expect(prefixed.json()).toMatchObject({ id: 'usr-12345', name: 'John Doe' });
  });

  it('answers an unknown user with the documented error, counted as a call', async () => {
    const app = await makeApp();
    const missing = await app.inject({ url: '/api/users/usr-99999', headers: DEMO });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ success: false, error: 'User not found.', apiUsage: 150, apiDailyUsage: 15 });
    const next = await app.inject({ url: '/api/users', headers: DEMO });
    expect(usage(next.json())).toEqual([151, 16]);
  });

  it('does not show a generated account’s user to the demo account', async () => {
    const app = await makeApp({ users: 2 });
    const generated = generatedAccount(app);
    const [user] = storeOf(app).listUsers(generated.token);
    const hidden = await app.inject({ url: `/api/users/${user!.id}`, headers: DEMO });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().error).toBe('User not found.');
    const own = await app.inject({
      url: `/api/users/${user!.id}`,
      headers: { authorization: `Bearer ${generated.token}` },
    });
    expect(own.statusCode).toBe(200);
    expect(own.json()).toEqual({ success: true, apiUsage: 1, apiDailyUsage: 1, ...user, password: null });
  });

  it('answers an empty user id with 400 in Plaspy’s envelope, without counting it', async () => {
    const app = await makeApp();
    // `/api/users/` is the list (one trailing slash is served as none): `//` leaves the id empty
    const response = await app.inject({ url: '/api/users//', headers: DEMO });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ success: false, apiUsage: 149, apiDailyUsage: 14 });
    expect(response.json().error).toMatch(/userId/);
    const next = await app.inject({ url: '/api/users', headers: DEMO });
    expect(usage(next.json())).toEqual([150, 15]);
  });
});

describe('Plaspy authentication', () => {
  it.each([
    ['no Authorization header', {}],
    ['an unknown token', { authorization: 'Bearer not-a-valid-token' }],
    ['a Bearer scheme without a token', { authorization: 'Bearer' }],
    ['a token with a space in it', { authorization: 'Bearer plaspy-demo-token extra' }],
    ['the token without a scheme', { authorization: 'plaspy-demo-token' }],
    ['the token under another scheme', { authorization: 'Token plaspy-demo-token' }],
    ['Datafiniti’s Basic credential', { authorization: 'Basic QUFBWFhYWFhYWFhYWFhYOg==' }],
    ['Datonis’s X-Auth-Token', { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' }],
    ['Datonis’s token as a Bearer token', { authorization: 'Bearer WtUFnj8pvSxVnH9e_xkq7A' }],
    ['Fingerbank’s key as a Bearer token', { authorization: 'Bearer 9e1808205b91362f9e3543aa4cea406e4aeedc69' }],
  ])('answers %s with the documented error', async (_name, headers) => {
    const app = await makeApp();
    for (const url of ['/api/users', '/api/users/12345']) {
      const response = await app.inject({ url, headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ success: false, error: 'Authentication failed. Invalid token.' });
    }
  });

  it('answers Fingerbank’s ?key= with the documented error body on a fresh server', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users?key=9e1808205b91362f9e3543aa4cea406e4aeedc69' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({
      success: false,
      error: 'Authentication failed. Invalid token.',
      apiUsage: 150,
      apiDailyUsage: 15,
    });
  });

  it('counts rejected calls in their own bucket, apart from every account', async () => {
    const app = await makeApp();
    const first = await app.inject({ url: '/api/users', headers: { authorization: 'Bearer wrong' } });
    const second = await app.inject({ url: '/api/users' });
    expect(usage(first.json())).toEqual([150, 15]);
    expect(usage(second.json())).toEqual([151, 16]);
    const demo = await app.inject({ url: '/api/users', headers: DEMO });
    expect(usage(demo.json())).toEqual([150, 15]);
  });

  it('accepts the scheme name in any case', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users', headers: { authorization: 'bearer plaspy-demo-token' } });
    expect(response.statusCode).toBe(200);
  });
});

describe('Plaspy usage counters', () => {
  it('advance with each call and show the values after counting', async () => {
    const app = await makeApp();
    const first = await app.inject({ url: '/api/users', headers: DEMO });
    const second = await app.inject({ url: '/api/users/12345', headers: DEMO });
    expect(usage(first.json())).toEqual([150, 15]);
    expect(usage(second.json())).toEqual([151, 16]);
  });

  it('start the daily count again at the next UTC day, but not the total', async () => {
    const clock = manualClock(Date.parse('2026-03-15T23:59:00.000Z'));
    const app = await makeApp({ clock });
    await app.inject({ url: '/api/users', headers: DEMO });
    await app.inject({ url: '/api/users', headers: { authorization: 'Bearer wrong' } });
    clock.set(Date.parse('2026-03-16T00:00:01.000Z'));
    const demo = await app.inject({ url: '/api/users', headers: DEMO });
    expect(usage(demo.json())).toEqual([151, 1]);
    const anonymous = await app.inject({ url: '/api/users', headers: { authorization: 'Bearer wrong' } });
    expect(usage(anonymous.json())).toEqual([151, 1]);
  });

  it('are kept per account', async () => {
    const app = await makeApp();
    const generated = generatedAccount(app);
    await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${generated.token}` } });
    const demo = await app.inject({ url: '/api/users', headers: DEMO });
    expect(usage(demo.json())).toEqual([150, 15]);
  });

  it('go back to the fixtures’ values on reset, with the data', async () => {
    const app = await makeApp();
    storeOf(app).createUser('plaspy-demo-token', NEW_USER);
    await app.inject({ url: '/api/users', headers: DEMO });
    await app.inject({ url: '/api/users' });
    app.mock.reset();
    const demo = await app.inject({ url: '/api/users', headers: DEMO });
    expect(demo.json()).toEqual({ success: true, apiUsage: 150, apiDailyUsage: 15, users: [JOHN] });
    const anonymous = await app.inject({ url: '/api/users' });
    expect(usage(anonymous.json())).toEqual([150, 15]);
  });
});

describe('Plaspy forced faults', () => {
  it('answers Prefer: code=503 in Plaspy’s envelope with the caller’s usage, not counted', async () => {
    const app = await makeApp();
    const fault = await app.inject({ url: '/api/users', headers: { ...DEMO, prefer: 'code=503' } });
    expect(fault.statusCode).toBe(503);
    expect(fault.json()).toEqual({ success: false, error: 'Service Unavailable', apiUsage: 149, apiDailyUsage: 14 });
    const next = await app.inject({ url: '/api/users', headers: DEMO });
    expect(usage(next.json())).toEqual([150, 15]);
  });

  it('reports the anonymous bucket when the faulted call carries no valid token', async () => {
    const app = await makeApp();
    const fault = await app.inject({ url: '/api/users/12345', headers: { prefer: 'code=500' } });
    expect(fault.statusCode).toBe(500);
    expect(fault.json()).toEqual({ success: false, error: 'Internal Server Error', apiUsage: 149, apiDailyUsage: 14 });
  });
});

describe('Plaspy generated data and OpenAPI', () => {
  it('is the same for the same seed and differs for another', async () => {
    const users = async (seed: number) => {
      const app = await makeApp({ seed, users: 4 });
      const generated = generatedAccount(app);
      const response = await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${generated.token}` } });
      return { token: generated.token, body: response.json().users };
    };
    const [a, b, c] = [await users(7), await users(7), await users(8)];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(c.token).not.toBe(a.token);
    expect(c.body).not.toEqual(a.body);
  });

  it('lists the demo and the generated tokens as demo credentials', async () => {
    const app = await makeApp();
    const credentials = storeOf(app).demoCredentials();
    expect(credentials.map((credential) => credential.value)).toEqual([
      'plaspy-demo-token',
      generatedAccount(app).token,
    ]);
    expect(credentials.every((credential) => credential.label.length > 0 && credential.scheme === 'bearer')).toBe(true);
  });

  it('documents both routes with the Bearer scheme and their error answers', async () => {
    const app = await makeApp();
    await app.ready();
    const document = app.swagger() as {
      paths: Record<string, { get: { security: unknown; tags: string[]; responses: Record<string, unknown> } }>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.components.securitySchemes.plaspyBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/api/users', '/api/users/{userId}']) {
      const operation = document.paths[path]!.get;
      expect(operation.security).toEqual([{ plaspyBearer: [] }]);
      expect(operation.tags).toEqual(['Plaspy']);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '404']));
    }
  });
});

describe('Plaspy users the control plane fills in', () => {
  it('are the seeded users after the generated ones: the same seed gives the same users whichever path made them, but for their ids', async () => {
    const usersOf = async (app: FastifyInstance) => {
      const url = `/__mock/plaspy/accounts/${generatedAccount(app).token}/users`;
      return { url, users: (await app.inject({ url })).json().items as { id: string }[] };
    };
    const filled = await makeApp({ seed: 11, users: 3 });
    const { url } = await usersOf(filled);
    expect((await filled.inject({ method: 'POST', url: `${url}/generate`, payload: { count: 2 } })).json()).toEqual({ total: 5 });
    expect((await filled.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(201);
    const added = (await usersOf(filled)).users.slice(-3);
    const generated = (await usersOf(await makeApp({ seed: 11, users: 6 }))).users.slice(-3);
    expect(added.map((user) => user.id)).toEqual(['usr-new-1', 'usr-new-2', 'usr-new-3']);
    expect(generated.map((user) => user.id)).toEqual(['usr-100003', 'usr-100004', 'usr-100005']);
    const withoutId = (users: { id: string }[]) => JSON.stringify(users.map(({ id: _id, ...fields }) => fields));
    expect(withoutId(added)).toBe(withoutId(generated));
  });
});
