import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnvironment, resolveConfig } from '../../src/config.js';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { waysOf } from '../credentials.js';
import { errorFormatProblem, formatOfPath } from '../hardening/formats.js';
import { makeApp, memoryState } from '../helpers.js';

const ORIGIN = 'http://127.0.0.1:5173';

/** The headers a browser must be allowed to send: every header a provider takes a credential in, and the mock's own. */
const REQUEST_HEADERS = [
  ...new Set(providers.flatMap((provider) => waysOf(provider).flatMap((way) => Object.keys(way.send('credential').headers)))),
  'content-type',
  'prefer',
];

/** A concrete path for each route each provider declares, from its documented requests. */
async function providerPaths(app: FastifyInstance): Promise<[string, string][]> {
  await app.ready();
  return providers.flatMap((provider) =>
    [...(app.mock.routes.get(provider.slug) ?? [])].map((route) => {
      const pattern = new RegExp(`^${route.replace(/:[^/]+/g, '[^/]+')}$`);
      const example = readExamples(provider.slug).find(({ example }) => pattern.test(example.request.url.split('?')[0] ?? ''));
      return [provider.slug, example!.example.request.url.split('?')[0]!] as [string, string];
    }),
  );
}

function preflight(url: string, headers = 'authorization') {
  return { method: 'OPTIONS' as const, url, headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': headers } };
}

describe('CORS setting', () => {
  it('is off by default, and read from --cors or MOCK_CORS', () => {
    expect(resolveConfig({}).cors).toBeUndefined();
    expect(resolveConfig(configFromEnvironment({ MOCK_CORS: '*' })).cors).toBe('*');
    expect(resolveConfig({ cors: `${ORIGIN}, http://localhost:3000` }).cors).toBe(`${ORIGIN}, http://localhost:3000`);
  });

  it.each(['localhost:3000', 'http://localhost:3000/', 'http://a.test/app', '*,', ' '])('refuses %j, which no browser sends as an origin', (value) => {
    expect(() => resolveConfig({ cors: value })).toThrow(ConfigError);
    expect(() => resolveConfig({ cors: value })).toThrow('cors');
  });
});

describe('with CORS off (the default)', () => {
  it('a preflight on every provider route is a 404 in the provider’s envelope, and no answer allows an origin', async () => {
    const app = await makeApp();
    for (const [, path] of await providerPaths(app)) {
      const response = await app.inject(preflight(path));
      expect(response.statusCode, path).toBe(404);
      expect(errorFormatProblem(formatOfPath(path), 404, response.json()), path).toBeUndefined();
      expect(response.headers['access-control-allow-origin'], path).toBeUndefined();
      const answer = await app.inject({ url: path, headers: { origin: ORIGIN } });
      expect(answer.headers['access-control-allow-origin'], path).toBeUndefined();
    }
  });
});

describe.each([
  ['*', '*'],
  [`http://localhost:3000,${ORIGIN}`, ORIGIN],
])('with CORS %s', (setting, allowedOrigin) => {
  it('answers a preflight on every provider route, allowing each provider’s credential header', async () => {
    const app = await makeApp({ cors: setting });
    const paths = await providerPaths(app);
    expect(new Set(paths.map(([slug]) => slug)).size).toBe(providers.length);
    for (const [, path] of paths) {
      for (const slashed of [path, `${path}/`]) {
        const response = await app.inject(preflight(slashed, REQUEST_HEADERS.join(',')));
        expect(response.statusCode, slashed).toBe(204);
        expect(response.body).toBe('');
        expect(response.headers['access-control-allow-origin'], slashed).toBe(allowedOrigin);
        expect(String(response.headers['access-control-allow-methods']).split(/, */)).toContain('GET');
        const allowed = String(response.headers['access-control-allow-headers']).toLowerCase().split(/, */);
        expect(allowed, slashed).toEqual(expect.arrayContaining(REQUEST_HEADERS));
        expect(REQUEST_HEADERS).toEqual(expect.arrayContaining(['authorization', 'x-auth-token']));
      }
    }
  });

  it('puts the origin on every provider answer, errors included, and exposes its headers', async () => {
    const app = await makeApp({ cors: setting });
    for (const provider of providers) {
      for (const { file, example } of readExamples(provider.slug)) {
        const response = await app.inject({
          url: example.request.url,
          headers: { ...example.request.headers, origin: ORIGIN },
          payload: example.request.body,
        });
        expect(response.statusCode, file).toBe(example.response.status);
        expect(response.headers['access-control-allow-origin'], file).toBe(allowedOrigin);
        expect(response.headers['access-control-expose-headers'], file).toBe('*');
      }
      const unknown = await app.inject({ url: `${provider.pathPrefixes[0]}/no/such/path`, headers: { origin: ORIGIN } });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['access-control-allow-origin']).toBe(allowedOrigin);
    }
  });

  it('a preflight counts nothing: not Plaspy’s usage, not Fingerbank’s rate limit', async () => {
    const app = await makeApp({ cors: setting });
    for (let i = 0; i < 3; i++) {
      await app.inject(preflight('/api/users'));
      await app.inject(preflight('/api/v2/users/account_info'));
    }
    const plaspy = await app.inject({ url: '/api/users', headers: { authorization: 'Bearer plaspy-demo-token' } });
    expect(plaspy.json()).toMatchObject({ apiUsage: 150, apiDailyUsage: 15 });
    const fingerbank = await app.inject({ url: '/api/v2/users/account_info', headers: { authorization: 'Bearer 9e1808205b91362f9e3543aa4cea406e4aeedc69' } });
    expect(fingerbank.headers['x-ratelimit-remaining']).toBe('249');
    expect(memoryState(app).journal.list().slice(0, 2).map((entry) => [entry.method, entry.provider, entry.status])).toEqual([
      ['OPTIONS', 'plaspy', 204],
      ['OPTIONS', 'fingerbank', 204],
    ]);
  });

  it('leaves the control plane and the docs same-origin', async () => {
    const app = await makeApp({ cors: setting });
    const control = await app.inject({ ...preflight('/__mock/reset'), headers: { ...preflight('/__mock/reset').headers, 'access-control-request-method': 'POST' } });
    expect(control.statusCode).toBe(404);
    expect(control.headers['access-control-allow-origin']).toBeUndefined();
    expect(errorFormatProblem('control', 404, control.json())).toBeUndefined();
    const journal = await app.inject({ url: '/__mock/requests', headers: { origin: ORIGIN } });
    expect(journal.statusCode).toBe(200);
    expect(journal.headers['access-control-allow-origin']).toBeUndefined();
    const docs = await app.inject({ url: '/docs/json', headers: { origin: ORIGIN } });
    expect(docs.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('with CORS set to a list', () => {
  it('an origin not in it gets no Access-Control-Allow-Origin, so the browser refuses the answer', async () => {
    const app = await makeApp({ cors: 'http://localhost:3000' });
    const response = await app.inject(preflight('/v3/users'));
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const answer = await app.inject({ url: '/v3/users', headers: { origin: ORIGIN } });
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers.vary).toContain('Origin');
  });
});
