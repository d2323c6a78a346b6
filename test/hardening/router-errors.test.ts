import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { MAX_PARAM_LENGTH } from '../../src/http/refusals.js';
import { providers } from '../../src/providers.js';
import { demoCall } from '../credentials.js';
import { makeApp, memoryState } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { type ErrorFormatName, errorFormatProblem } from './formats.js';
import { listening, rawExchange } from './sockets.js';

/** Each owner of the URL space by a path under it (every provider's prefixes), and the error format it must answer in. */
const OWNERS: [ErrorFormatName, string][] = [
  ...providers.flatMap((provider) => provider.pathPrefixes.map((prefix): [ErrorFormatName, string] => [provider.slug, prefix])),
  ['control', '/__mock'],
  ['neutral', '/api'],
];

/** Every provider's documented paths, as its documented examples call them. */
const DOCUMENTED_PATHS = providers.flatMap((provider) =>
  [...new Set(readExamples(provider.slug).map(({ example }) => example.request.url.split('?')[0]!))].map((path): [ErrorFormatName, string] => [provider.slug, path]),
);

function expectFormat(format: ErrorFormatName, status: number, body: unknown): void {
  expect(errorFormatProblem(format, status, body)).toBeUndefined();
}

describe('requests no route serves', () => {
  it.each(OWNERS)('an unknown path under %s answers 404 in its format, naming the path', async (format, prefix) => {
    const app = await makeApp();
    const response = await app.inject({ url: `${prefix}/no-such/thing?x=1` });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expectFormat(format, 404, response.json());
    expect(response.body).toContain(`No route for GET ${prefix}/no-such/thing`);
    expect(response.body).not.toContain('FST_');
  });

  it.each([...DOCUMENTED_PATHS, ['control', '/__mock/reset'] as [ErrorFormatName, string]])(
    '%s: a documented path (%s) with another method is a 404 in its format',
    async (format, url) => {
      const app = await makeApp();
      for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
        if (url === '/__mock/reset' && method === 'POST') continue;
        const response = await app.inject({ method, url });
        expect(response.statusCode, method).toBe(404);
        expectFormat(format, 404, response.json());
      }
    },
  );

  it('paths that only look like a provider get the neutral 404', async () => {
    const app = await makeApp();
    for (const url of ['/', '/v33/users', '/api', '/api/userss', '/API/USERS', '/__mockery', '/docs/nope/../../v4']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(404);
      expectFormat('neutral', 404, response.json());
    }
  });

  it('an unknown Plaspy path counts no call, and shows the caller’s usage as it stands', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users/usr-12345/devices', headers: { authorization: `Bearer ${DEMO.plaspy}` } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ success: false, error: 'No route for GET /api/users/usr-12345/devices', apiUsage: 149, apiDailyUsage: 14 });
  });

  it('the journal records an unknown path under a provider as that provider’s', async () => {
    const app = await makeApp();
    await app.inject({ url: '/api/v3/user' });
    await app.inject({ url: '/elsewhere' });
    const entries = memoryState(app).journal.list().map((entry) => [entry.provider, entry.path, entry.status]);
    expect(entries).toEqual([
      ['datonis', '/api/v3/user', 404],
      [null, '/elsewhere', 404],
    ]);
  });

  it('a long quoted path is cut in the message, not echoed whole', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: `/nope/${'x'.repeat(10_000)}` });
    expect(response.statusCode).toBe(404);
    expect(response.body.length).toBeLessThan(400);
  });
});

describe('URLs the router refuses', () => {
  it.each(OWNERS)('a malformed percent escape under %s is a 400 in its format', async (format, prefix) => {
    const app = await makeApp();
    for (const tail of ['%', '%zz', '%E0%A4%A', 'a/%', 'a/b/%zz']) {
      const response = await app.inject({ url: `${prefix}/${tail}` });
      expect(response.statusCode, tail).toBe(400);
      expectFormat(format, 400, response.json());
      expect(response.json()).not.toHaveProperty('code', 'FST_ERR_BAD_URL');
    }
  });

  it('path parameters up to the limit reach the provider, which answers as for any unknown value', async () => {
    const app = await makeApp();
    const long = 'a'.repeat(MAX_PARAM_LENGTH);
    const fingerbank = await app.inject({ url: `/api/v2/users/account_info/${long}` });
    expect(fingerbank.statusCode).toBe(401);
    const asOther = await app.inject({ url: `/api/v2/users/account_info/${long}`, headers: { authorization: `Bearer ${DEMO.fingerbankUser}` } });
    expect(asOther.statusCode).toBe(403);
    const plaspy = await app.inject({ url: `/api/users/${long}`, headers: { authorization: `Bearer ${DEMO.plaspy}` } });
    expect(plaspy.statusCode).toBe(404);
    expect(plaspy.json()).toEqual({ success: false, error: 'User not found.', apiUsage: 150, apiDailyUsage: 15 });
  });

  it.each([
    ['fingerbank', '/api/v2/users/account_info'],
    ['plaspy', '/api/users'],
    ['control', '/__mock/datafiniti/accounts'],
  ] as const)('a path parameter over the limit under %s is a 414 in its format, counting nothing', async (format, prefix) => {
    const app = await makeApp();
    const response = await app.inject({
      url: `${prefix}/${'a'.repeat(MAX_PARAM_LENGTH + 1)}`,
      headers: { authorization: `Bearer ${DEMO.plaspy}` },
    });
    expect(response.statusCode).toBe(414);
    expectFormat(format, 414, response.json());
    expect(response.body).toContain(`longer than ${MAX_PARAM_LENGTH} characters`);
    if (format === 'plaspy') expect(response.json()).toMatchObject({ apiUsage: 149, apiDailyUsage: 14 });
  });

  it('under the control plane, the admin token is checked before the URL is judged', async () => {
    const app = await makeApp({ adminToken: 'admin-secret' });
    for (const url of ['/__mock/%', '/__mock/no-such-route', `/__mock/datonis/accounts/${'k'.repeat(MAX_PARAM_LENGTH + 1)}`]) {
      const refused = await app.inject({ url });
      expect(refused.statusCode, url).toBe(401);
      expectFormat('control', 401, refused.json());
      const judged = await app.inject({ url, headers: { authorization: 'Bearer admin-secret' } });
      expect([400, 404, 414], url).toContain(judged.statusCode);
      expectFormat('control', judged.statusCode, judged.json());
    }
  });
});

describe('bodies the server refuses', () => {
  const big = JSON.stringify({ blob: 'x'.repeat(4096) });

  it.each([
    ['control', 'POST', '/__mock/datafiniti/accounts'],
    ['datonis', 'GET', '/api/v3/users'],
    ['datafiniti', 'POST', '/v3/users'],
    ['neutral', 'POST', '/somewhere'],
  ] as const)('a body over the limit is a 413 in the %s format', async (format, method, url) => {
    const app = await makeApp({ bodyLimit: 1024 });
    const response = await app.inject({
      method,
      url,
      headers: { 'content-type': 'application/json', 'x-auth-token': DEMO.datonis },
      payload: big,
    });
    expect(response.statusCode).toBe(413);
    expectFormat(format, 413, response.json());
  });

  it.each([
    ['control', '/__mock/plaspy/accounts'],
    ['plaspy', '/api/users'],
    ['neutral', '/x'],
  ] as const)('malformed JSON and an unsupported media type are a 400 and a 415 in the %s format', async (format, url) => {
    const app = await makeApp();
    const malformed = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"a":' });
    expect(malformed.statusCode).toBe(400);
    expectFormat(format, 400, malformed.json());
    const unsupported = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/xml' }, payload: '<a/>' });
    expect([404, 415]).toContain(unsupported.statusCode);
    expectFormat(format, unsupported.statusCode, unsupported.json());
  });

  it('the control plane refuses a body that is not a JSON object, and creates nothing', async () => {
    const app = await makeApp();
    const before = (await app.inject({ url: '/__mock/datafiniti/accounts' })).json().total;
    for (const [type, payload, status] of [
      ['application/xml', '<token>x</token>', 415],
      // 400 until a text/plain write was found to reset the mock from any web page: now a 415
      ['text/plain', 'token=x', 415],
      ['application/json', '["token"]', 400],
      ['application/json', '"token"', 400],
    ] as const) {
      const response = await app.inject({ method: 'POST', url: '/__mock/datafiniti/accounts', headers: { 'content-type': type }, payload });
      expect(response.statusCode, type).toBe(status);
      expectFormat('control', status, response.json());
    }
    expect((await app.inject({ url: '/__mock/datafiniti/accounts' })).json().total).toBe(before);
  });
});

describe('malformed HTTP, on a real socket', () => {
  const huge = `X-Filler: ${'h'.repeat(20_000)}\r\n`;

  it.each([
    ...providers.map((provider): [ErrorFormatName, string] => [provider.slug, demoCall(provider).url]),
    ['control', '/__mock/accounts'],
    ['neutral', '/elsewhere'],
  ] as [ErrorFormatName, string][])('headers over the size limit are a 431 in the %s format, and the server answers on', async (format, path) => {
    const { port } = await listening();
    const response = await rawExchange(port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${huge}\r\n`);
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(response.body) as unknown;
    expectFormat(format, 431, body);
    expect(JSON.stringify(body)).toContain('headers are larger than');
    const next = await rawExchange(port, `GET /v3/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic ${Buffer.from(`${DEMO.datafiniti}:`).toString('base64')}\r\nConnection: close\r\n\r\n`);
    expect(next.status).toBe(200);
  });

  it('a request that is not HTTP is a 400 in the neutral format', async () => {
    const { port } = await listening();
    const response = await rawExchange(port, 'HELLO THERE\r\n\r\n');
    expect(response.status).toBe(400);
    expectFormat('neutral', 400, JSON.parse(response.body));
  });

  it('an unencoded path the URL parser would have cleaned is judged as sent', async () => {
    const { port } = await listening();
    const response = await rawExchange(port, 'GET /api/users/../../v3/users HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(response.status).toBe(404);
    expectFormat('plaspy', 404, JSON.parse(response.body));
  });
});
