import { describe, expect, it } from 'vitest';
import { basic, makeApp } from '../../helpers.js';
import { ADMIN_KEY, BLOCKED_KEY, BOB_KEY, DOCUMENTED_BOB, MESSAGES, PATH, allAccounts, fingerbankStore } from './accounts.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe('Fingerbank GET /api/v2/users/account_info/:account_key', () => {
  it('answers the documented curl, key in the path and nothing else, with the documented body', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: `${PATH}/${BOB_KEY}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual(DOCUMENTED_BOB);
    expect(Object.keys(response.json())).toEqual(Object.keys(DOCUMENTED_BOB));
  });

  it.each([
    ['?key= without account_key', `${PATH}?key=${BOB_KEY}`, {}],
    ['Bearer without account_key', PATH, bearer(BOB_KEY)],
    ['?key= with the own account_key', `${PATH}/${BOB_KEY}?key=${BOB_KEY}`, {}],
    ['Bearer with the own account_key', `${PATH}/${BOB_KEY}`, bearer(BOB_KEY)],
    ['a lower-case bearer scheme', PATH, { authorization: `bearer ${BOB_KEY}` }],
    ['an empty ?key= beside a Bearer key', `${PATH}?key=`, bearer(BOB_KEY)],
  ])('reads the caller’s own account with %s', async (_name, url, headers) => {
    const app = await makeApp();
    const response = await app.inject({ url, headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(DOCUMENTED_BOB);
  });

  it('takes ?key= before Bearer, and Bearer before the path', async () => {
    const app = await makeApp();
    const queryOverBearer = await app.inject({ url: `${PATH}?key=${BOB_KEY}`, headers: bearer(ADMIN_KEY) });
    expect(queryOverBearer.json().name).toBe('bob');
    const bearerOverPath = await app.inject({ url: `${PATH}/${ADMIN_KEY}`, headers: bearer(BOB_KEY) });
    expect(bearerOverPath.statusCode).toBe(403);
    const queryOverPath = await app.inject({ url: `${PATH}/${ADMIN_KEY}?key=${BOB_KEY}` });
    expect(queryOverPath.statusCode).toBe(403);
    const adminByBearer = await app.inject({ url: `${PATH}/${BOB_KEY}`, headers: bearer(ADMIN_KEY) });
    expect(adminByBearer.json().name).toBe('bob');
  });

  it('accepts a non-numeric account_key although the page says “Must be a Integer”', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: `${PATH}/not-a-number`, headers: bearer(ADMIN_KEY) });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ message: MESSAGES[404] });
  });

  it('lets a level-10 caller read any account, the target’s counters untouched', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: `${PATH}/${BOB_KEY}?key=${ADMIN_KEY}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ...DOCUMENTED_BOB, timeframed_requests: 2, monthly_requests: 125, requests: 1511 });
    const generated = (await allAccounts(fingerbankStore(app))).find((account) => account.id >= 1000)!;
    const other = await app.inject({ url: `${PATH}/${generated.key}`, headers: bearer(ADMIN_KEY) });
    expect(other.json()).toEqual(generated);
  });

  it('answers an admin asking for an unknown account_key with the documented 404', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: `${PATH}/${'0'.repeat(40)}`, headers: bearer(ADMIN_KEY) });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ message: MESSAGES[404] });
    expect(response.headers['x-ratelimit-remaining']).toBe('249');
  });

  it.each([
    ['another existing account', () => ADMIN_KEY],
    ['an unknown account', () => '0'.repeat(40)],
  ])('forbids a non-admin caller to read %s, saying why: its account is not blocked', async (_name, target) => {
    const app = await makeApp();
    const response = await app.inject({ url: `${PATH}/${target()}?key=${BOB_KEY}` });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ message: 'This request is forbidden. Only an admin key may read the account of another key.' });
    expect(response.json().message).not.toBe(MESSAGES[403]);
  });

  it.each([
    ['the path', `${PATH}/${BLOCKED_KEY}`, {}],
    ['?key=', `${PATH}?key=${BLOCKED_KEY}`, {}],
    ['Bearer', PATH, bearer(BLOCKED_KEY)],
  ])('answers a blocked account’s key in %s with the documented 403', async (_name, url, headers) => {
    const app = await makeApp();
    const response = await app.inject({ url, headers });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ message: MESSAGES[403] });
  });

  it('opens a generated account with its own key', async () => {
    const app = await makeApp({ users: 3 });
    const generated = (await allAccounts(fingerbankStore(app))).find((account) => account.id >= 1000)!;
    const response = await app.inject({ url: `${PATH}/${generated.key}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ key: generated.key, name: generated.name, requests: generated.requests + 1 });
  });

  it.each([
    ['no key anywhere', PATH, {}],
    ['no key and an empty account_key', `${PATH}/`, {}],
    ['an unknown key in the path', `${PATH}/${'f'.repeat(40)}`, {}],
    ['an unknown ?key=', `${PATH}?key=nope`, {}],
    ['an unknown ?key= beside a valid path key', `${PATH}/${BOB_KEY}?key=nope`, {}],
    ['the documented key in upper case', `${PATH}/${BOB_KEY.toUpperCase()}`, {}],
    ['an unknown Bearer key', PATH, bearer('nope')],
    ['a Bearer scheme without a key', `${PATH}/${BOB_KEY}`, { authorization: 'Bearer' }],
    ['a malformed Bearer value', PATH, { authorization: `Bearer ${BOB_KEY} extra` }],
    ['another scheme with the key', PATH, { authorization: `Token ${BOB_KEY}` }],
    ['Basic with the key', `${PATH}/${BOB_KEY}`, { authorization: basic(BOB_KEY) }],
    ['Datafiniti’s documented Basic token', PATH, { authorization: 'Basic QUFBWFhYWFhYWFhYWFhYOg==' }],
    ['a Plaspy Bearer token', PATH, bearer('plaspy-demo-token')],
    ['a Datonis X-Auth-Token', PATH, { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' }],
  ])('answers %s with the documented 401', async (_name, url, headers) => {
    const app = await makeApp();
    const response = await app.inject({ url, headers });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ message: MESSAGES[401] });
    expect(response.headers['x-ratelimit-limit']).toBeUndefined();
  });

  it.each([
    [502, MESSAGES[502]],
    [404, MESSAGES[404]],
    [418, "I'm a Teapot"],
    [500, 'Internal Server Error'],
  ])('answers a forced %i with the page’s message, else the reason phrase', async (status, message) => {
    const app = await makeApp();
    const response = await app.inject({ url: `${PATH}/${BOB_KEY}`, headers: { prefer: `code=${status}` } });
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ message });
  });

  it('asks a client to wait a full window after a forced 429', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: PATH, headers: { prefer: 'code=429' } });
    expect(response.statusCode).toBe(429);
    expect(response.json()).toEqual({ message: MESSAGES[429] });
    expect(response.headers['retry-after']).toBe('60');
  });

  it('judges the last of a repeated key parameter, as Rails does', async () => {
    const app = await makeApp();
    const unknown = 'a'.repeat(40);
    const lastUnknown = await app.inject({ url: `${PATH}/${BOB_KEY}?key=${BOB_KEY}&key=${unknown}` });
    expect(lastUnknown.statusCode).toBe(401);
    expect(lastUnknown.json()).toEqual({ message: MESSAGES[401] });
    const lastBob = await app.inject({ url: `${PATH}?key=${unknown}&key=${ADMIN_KEY}&key=${BOB_KEY}` });
    expect(lastBob.statusCode).toBe(200);
    expect(lastBob.json()).toEqual(DOCUMENTED_BOB);
    expect(lastBob.headers['x-ratelimit-remaining']).toBe('249');
    const twice = await app.inject({ url: `${PATH}/${BOB_KEY}?key=${BOB_KEY}&key=${BOB_KEY}` });
    expect(twice.statusCode).toBe(200);
    expect(twice.headers['x-ratelimit-remaining']).toBe('248');
  });

  it('declares both routes, every documented status and both credential schemes in OpenAPI', async () => {
    const app = await makeApp();
    await app.ready();
    const document = app.swagger() as {
      paths: Record<string, { get: { security: unknown; tags: string[]; responses: Record<string, unknown> } }>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const path of [PATH, `${PATH}/{account_key}`]) {
      const operation = document.paths[path]!.get;
      expect(operation.tags).toEqual(['Fingerbank']);
      expect(operation.security).toEqual([{ fingerbankKey: [] }, { fingerbankBearer: [] }]);
      expect(Object.keys(operation.responses).sort()).toEqual(['200', '401', '403', '404', '429', '502']);
    }
    expect(document.components.securitySchemes.fingerbankKey).toMatchObject({ type: 'apiKey', in: 'query', name: 'key' });
    expect(document.components.securitySchemes.fingerbankBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
