import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, configFromEnvironment, resolveConfig } from '../../src/config.js';
import { REDACTED_PASSWORD } from '../../src/state/journal.js';
import { redacted } from '../../src/http/redaction.js';
import type { PlaspyStore } from '../../src/providers/plaspy/store.js';
import { providers } from '../../src/providers.js';
import { startServer } from '../../src/server.js';
import { DEMO_CREDENTIALS, demoCall, waysOf } from '../credentials.js';
import { basic, makeApp, memoryState } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { errorFormatProblem } from './formats.js';
import { controlOperations, filledPath } from './operations.js';
import { changedKeys, snapshot } from './state.js';

const ADMIN_TOKEN = 'the-admin-token';

/** Every way of not holding the admin token. */
const REFUSED: [string, Record<string, string>][] = [
  ['no credential', {}],
  ['an empty Authorization', { authorization: '' }],
  ['an empty X-Mock-Admin-Token', { 'x-mock-admin-token': '' }],
  ['a wrong token', { authorization: `Bearer ${ADMIN_TOKEN}x` }],
  ['a prefix of the token', { 'x-mock-admin-token': ADMIN_TOKEN.slice(0, -1) }],
  ['the token in another case', { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` }],
  ['the token with Basic', { authorization: basic(ADMIN_TOKEN) }],
  ['the token with no scheme', { authorization: ADMIN_TOKEN }],
  ['a malformed Bearer', { authorization: `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}` }],
  // every provider's demo credentials, each way its provider takes one in a header
  ...providers.flatMap((provider) =>
    waysOf(provider).flatMap((way) =>
      DEMO_CREDENTIALS[provider.slug].flatMap((demo): [string, Record<string, string>][] => {
        const { headers } = way.send(demo.value);
        return Object.keys(headers).length === 0 ? [] : [[`${provider.title}’s credential ${demo.value} (${way.name})`, headers]];
      }),
    ),
  ),
];

const ACCEPTED: [string, Record<string, string>][] = [
  ['Authorization: Bearer', { authorization: `Bearer ${ADMIN_TOKEN}` }],
  ['X-Mock-Admin-Token', { 'x-mock-admin-token': ADMIN_TOKEN }],
];

describe('MOCK_ADMIN_TOKEN', () => {
  it('is read from the environment', () => {
    expect(resolveConfig(configFromEnvironment({ MOCK_ADMIN_TOKEN: ADMIN_TOKEN })).adminToken).toBe(ADMIN_TOKEN);
  });

  it('guards every control-plane route and method: each way of not holding it is a 401 that changes nothing', async () => {
    const app = await buildApp({ ...resolveConfig(configFromEnvironment({ MOCK_ADMIN_TOKEN: ADMIN_TOKEN })), users: 3 });
    try {
      // the health check is open by design, for container and CI wait loops
      const operations = (await controlOperations(app)).filter((operation) => operation.path !== '/__mock/health');
      expect(operations.length).toBeGreaterThanOrEqual(40);
      // a count the control plane could erase, to see that an unauthenticated reset does not
      await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${DEMO.plaspy}` } });
      const before = await snapshot(app);
      let refusals = 0;
      for (const operation of operations) {
        const methods = operation.method === 'GET' ? ['GET', 'HEAD'] : [operation.method];
        for (const method of methods) {
          for (const [how, headers] of REFUSED) {
            const response = await app.inject({
              method: method as 'GET',
              url: filledPath(operation, DEMO.plaspy),
              headers: { ...headers, 'content-type': 'application/json' },
              payload: method === 'GET' || method === 'HEAD' ? undefined : '{"count":1,"provider":"plaspy","status":503}',
            });
            const where = `${method} ${operation.path} with ${how}`;
            expect(response.statusCode, where).toBe(401);
            expect(response.headers['www-authenticate'], where).toMatch(/^Bearer /);
            if (method !== 'HEAD') expect(errorFormatProblem('control', 401, response.json()), where).toBeUndefined();
            refusals++;
          }
        }
      }
      expect(refusals).toBeGreaterThan(500);
      expect(changedKeys(before, await snapshot(app))).toEqual([]);
      expect(memoryState(app).faults.list()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('opens every control-plane route, either way it is sent', async () => {
    const app = await makeApp({ adminToken: ADMIN_TOKEN, users: 3 });
    for (const operation of await controlOperations(app)) {
      for (const [how, headers] of ACCEPTED) {
        const response = await app.inject({
          method: operation.method as 'GET',
          url: filledPath(operation, DEMO.plaspy),
          headers: { ...headers, 'content-type': 'application/json' },
          payload: operation.method === 'GET' ? undefined : '{}',
        });
        expect(response.statusCode, `${operation.method} ${operation.path} with ${how}`).not.toBe(401);
      }
    }
  });

  it('does not open any provider, and the providers stay open without it', async () => {
    const app = await makeApp({ adminToken: ADMIN_TOKEN });
    expect((await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/v3/users', headers: { 'x-mock-admin-token': ADMIN_TOKEN } })).statusCode).toBe(401);
    for (const provider of providers) expect((await app.inject(demoCall(provider))).statusCode, provider.slug).toBe(200);
  });
});

describe('passwords', () => {
  const SECRET = 'hunter2-correct-horse';

  /** Every key named like a password, anywhere in a JSON value, with what it holds. */
  function passwords(value: unknown): unknown[] {
    const found: unknown[] = [];
    const stack = [value];
    while (stack.length > 0) {
      const current = stack.pop();
      if (current === null || typeof current !== 'object') continue;
      for (const [key, child] of Object.entries(current)) {
        if (/pass(word)?/i.test(key)) found.push(child);
        stack.push(child);
      }
    }
    return found;
  }

  it('never leave the server, whatever the store holds and however they are asked for', async () => {
    const app = await makeApp({ users: 3 });
    const store = app.mock.storeOf('plaspy') as PlaspyStore;
    const other = store.listAccounts().find((account) => account.token !== DEMO.plaspy)!;
    store.updateUser(DEMO.plaspy, 'usr-12345', { password: SECRET });
    for (const user of other.users.values()) store.updateUser(other.token, user.id, { password: SECRET });

    const refused = await app.inject({
      method: 'POST',
      url: `/__mock/plaspy/accounts/${DEMO.plaspy}/users`,
      payload: { name: 'Eve', email: 'eve@example.com', country: 'USA', timeZone: 'UTC', password: SECRET },
    });
    expect(refused.statusCode).toBe(400);

    const plaspy = { authorization: `Bearer ${DEMO.plaspy}` };
    const requests: [string, Record<string, string>?][] = [
      ['/api/users', plaspy],
      ['/api/users/usr-12345', plaspy],
      ['/api/users/12345', plaspy],
      ['/api/users', { authorization: `Bearer ${other.token}` }],
      ['/v3/users', { authorization: basic(DEMO.datafiniti, SECRET) }],
      ['/v3/users', { authorization: basic(DEMO.datafiniti) }],
      [`/api/v2/users/account_info/${DEMO.fingerbankUser}`],
      ['/api/v3/users', { 'x-auth-token': DEMO.datonis }],
      [`/__mock/plaspy/accounts/${DEMO.plaspy}/users`],
      [`/__mock/plaspy/accounts/${DEMO.plaspy}/users/usr-12345`],
      [`/__mock/plaspy/accounts/${other.token}/users?per=1000`],
      ['/__mock/plaspy/accounts'],
      ['/__mock/datafiniti/accounts'],
      ['/__mock/fingerbank/accounts'],
      ['/__mock/datonis/accounts'],
      ['/__mock/accounts'],
      ['/__mock/requests'],
      ['/docs/json'],
    ];
    let passwordFields = 0;
    for (const [url, headers] of requests) {
      const response = await app.inject({ url, headers });
      expect(response.body, url).not.toContain(SECRET);
      expect(response.body, url).not.toContain(Buffer.from(`${DEMO.datafiniti}:${SECRET}`).toString('base64'));
      const found = passwords(response.json()).filter((value) => typeof value !== 'object' || value === null);
      // null for a user's password; '' for the empty password of Datafiniti's documented Basic scheme
      expect(found.every((value) => value === null || value === ''), url).toBe(true);
      passwordFields += found.length;
    }
    expect(passwordFields).toBeGreaterThan(8);
  });

  it('a Basic password sent to a provider is journalled as redacted, its user name kept; a token sent as the user with no password, redacted whole', async () => {
    const app = await makeApp();
    await app.inject({ url: '/v3/users', headers: { authorization: basic(DEMO.datafiniti, SECRET) } });
    await app.inject({ url: '/v3/users', headers: { authorization: basic(DEMO.datafiniti) } });
    const [withPassword, without] = memoryState(app).journal.list();
    expect(withPassword?.status).toBe(401);
    expect(withPassword?.headers.authorization).toBe(basic(DEMO.datafiniti, REDACTED_PASSWORD));
    expect(without?.headers.authorization).toBe(`Basic ${redacted(DEMO.datafiniti)}`);
  });
});

describe('binding', () => {
  it('listens on 127.0.0.1 unless told otherwise', async () => {
    expect(resolveConfig({}).host).toBe('127.0.0.1');
    expect(resolveConfig(configFromEnvironment({})).host).toBe('127.0.0.1');
    expect(resolveConfig(configFromEnvironment({ HOST: '0.0.0.0' })).host).toBe('0.0.0.0');
    const server = await startServer({ port: 0, users: 0 });
    try {
      const address = server.app.server.address();
      expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await server.close();
    }
  });
});

describe('writes from a web page', () => {
  it('a control-plane write whose body is not declared JSON is a 415 that changes nothing; a write with no body is accepted', async () => {
    const app = await makeApp();
    const created = await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts', payload: {} });
    expect(created.statusCode).toBe(201);
    const account = `/__mock/plaspy/accounts/${created.json().token}`;
    for (const [type, payload] of [
      ['text/plain', '{}'],
      ['application/x-www-form-urlencoded', 'a=1'],
      ['multipart/form-data; boundary=x', '--x--'],
    ] as const) {
      const response = await app.inject({ method: 'POST', url: '/__mock/reset', headers: { 'content-type': type }, payload });
      expect(response.statusCode, type).toBe(415);
      expect(response.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
      expect((await app.inject({ url: account })).statusCode, type).toBe(200);
    }
    const patched = await app.inject({ method: 'PATCH', url: account, headers: { 'content-type': 'text/plain' }, payload: '{"label":"x"}' });
    expect(patched.statusCode).toBe(415);
    expect((await app.inject({ method: 'POST', url: '/__mock/reset', headers: { 'content-type': 'text/plain' } })).statusCode).toBe(200);
    expect((await app.inject({ url: account })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/__mock/reset' })).statusCode).toBe(200);
  });

  const rebinding = ['evil.example', 'evil.example:4010', '192.168.1.20:4010', 'localhost.evil.example', '127.0.0.1.nip.io'];
  const loopback = ['localhost', 'localhost:4010', '127.0.0.1:4010', '127.1.2.3', '[::1]:4010', 'app.localhost:4010', 'LOCALHOST.'];

  it('listening on loopback with no admin token, the control plane answers only loopback Host names (DNS rebinding)', async () => {
    const app = await makeApp();
    const created = await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts', payload: {} });
    const account = `/__mock/plaspy/accounts/${created.json().token}`;
    for (const host of rebinding) {
      for (const [method, url] of [['POST', '/__mock/reset'], ['GET', '/__mock/accounts'], ['GET', '/__mock/no-such-thing']] as const) {
        const response = await app.inject({ method, url, headers: { host } });
        expect(response.statusCode, `${host} ${url}`).toBe(403);
        expect(response.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      }
      expect((await app.inject({ url: '/__mock/health', headers: { host } })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/users', headers: { host, authorization: `Bearer ${DEMO.plaspy}` } })).statusCode).toBe(200);
    }
    expect((await app.inject({ url: account })).statusCode).toBe(200);
    for (const host of loopback) expect((await app.inject({ url: '/__mock/accounts', headers: { host } })).statusCode, host).toBe(200);
  });

  it('--allowed-hosts adds names; listening elsewhere, or with an admin token, any Host is answered unless it is given', async () => {
    const listed = await makeApp({ allowedHosts: 'mock.test, Other.Test.' });
    for (const host of ['mock.test:4010', 'other.test', 'localhost']) expect((await listed.inject({ url: '/__mock/accounts', headers: { host } })).statusCode, host).toBe(200);
    expect((await listed.inject({ url: '/__mock/accounts', headers: { host: 'evil.example' } })).statusCode).toBe(403);

    const container = await makeApp({ host: '0.0.0.0' });
    for (const host of [...rebinding, 'provider-mock:4010']) expect((await container.inject({ url: '/__mock/accounts', headers: { host } })).statusCode).toBe(200);
    const named = await makeApp({ host: '0.0.0.0', allowedHosts: 'provider-mock' });
    expect((await named.inject({ url: '/__mock/accounts', headers: { host: 'provider-mock:4010' } })).statusCode).toBe(200);
    expect((await named.inject({ url: '/__mock/accounts', headers: { host: 'evil.example' } })).statusCode).toBe(403);

    const guarded = await makeApp({ adminToken: 'tok' });
    expect((await guarded.inject({ url: '/__mock/accounts', headers: { host: 'evil.example', authorization: 'Bearer tok' } })).statusCode).toBe(200);
  });

  it('the allowed hosts are set by MOCK_ALLOWED_HOSTS too', () => {
    expect(resolveConfig(configFromEnvironment({ MOCK_ALLOWED_HOSTS: 'a.test,b.test' })).allowedHosts).toBe('a.test,b.test');
  });
});

describe('the admin token', () => {
  it.each(['pässwort', 'two words', 'tab\there', '\u00a0nbsp'])('%j, which no client could send, is refused at configuration', (adminToken) => {
    expect(() => resolveConfig({ adminToken })).toThrow(ConfigError);
    expect(() => resolveConfig({ adminToken })).toThrow(/adminToken "…": only printable ASCII characters/);
    expect(() => resolveConfig(configFromEnvironment({ MOCK_ADMIN_TOKEN: adminToken }))).toThrow(ConfigError);
  });
});

describe('the docs, which need no credential', () => {
  it('with an admin token, list only the seeded demo credentials, never those of accounts created since', async () => {
    const headers = { authorization: 'Bearer tok' };
    const app = await makeApp({ adminToken: 'tok' });
    const datonis = await app.inject({ method: 'POST', url: '/__mock/datonis/accounts', headers, payload: { tokens: ['created-datonis-token'] } });
    const plaspy = await app.inject({ method: 'POST', url: '/__mock/plaspy/accounts', headers, payload: { token: 'created-plaspy-token' } });
    expect([datonis.statusCode, plaspy.statusCode]).toEqual([201, 201]);
    for (const url of ['/docs/json', '/docs/yaml']) {
      const docs = await app.inject({ url });
      expect(docs.statusCode).toBe(200);
      expect(docs.body).not.toMatch(/created-(datonis|plaspy)-token/);
      expect(docs.body).toContain(DEMO.datonis);
      expect(docs.body).toContain(DEMO.plaspy);
    }
    // without a token the control plane is open anyway, and the docs list every account
    const open = await makeApp();
    await open.inject({ method: 'POST', url: '/__mock/plaspy/accounts', payload: { token: 'created-plaspy-token' } });
    expect((await open.inject({ url: '/docs/json' })).body).toContain('created-plaspy-token');
  });
});
