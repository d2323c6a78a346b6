import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type Example, readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { makeApp, memoryState } from '../helpers.js';

/** A documented request as `inject` sends it, its path given one trailing slash when asked. */
function request(example: Example, slashed: boolean): InjectOptions {
  const [path = '', query] = example.request.url.split('?');
  return {
    method: example.request.method as 'GET',
    url: `${path}${slashed ? '/' : ''}${query === undefined ? '' : `?${query}`}`,
    headers: example.request.headers,
    payload: example.request.body,
  };
}

/** What a client sees of an answer: status, headers (the date aside) and body. */
function seen(response: LightMyRequestResponse) {
  const { date: _date, ...headers } = response.headers;
  return { status: response.statusCode, headers, body: response.body };
}

/** Whether a concrete path is served by a route as declared (`/api/users/:userId`). */
function servedBy(route: string, path: string): boolean {
  const pattern = route.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${pattern.join('/')}$`).test(path);
}

async function declaredRoutes(app: FastifyInstance, slug: string): Promise<string[]> {
  await app.ready();
  return [...(app.mock.routes.get(slug) ?? [])];
}

const cases = providers.flatMap((provider) =>
  readExamples(provider.slug).map(({ file, example }) => [file, example] as const),
);

describe('every documented route, with or without one trailing slash', () => {
  it.each(providers.map((provider) => [provider.title, provider.slug] as const))(
    '%s: each declared route has a documented request to try it with',
    async (_title, slug) => {
      const app = await makeApp();
      const paths = readExamples(slug).map(({ example }) => example.request.url.split('?')[0] ?? '');
      const routes = await declaredRoutes(app, slug);
      expect(routes.length).toBeGreaterThan(0);
      for (const route of routes) expect(paths.some((path) => servedBy(route, path)), route).toBe(true);
    },
  );

  it.each(cases)('%s: the same answer, and counted the same, with the slash', async (_file, example) => {
    const plain = await makeApp();
    const slashed = await makeApp();
    // the second call of each shows what the first one counted (usage, rate limit)
    const asDocumented = [await plain.inject(request(example, false)), await plain.inject(request(example, false))];
    const withSlash = [await slashed.inject(request(example, true)), await slashed.inject(request(example, false))];
    expect(withSlash.map(seen)).toEqual(asDocumented.map(seen));
    expect(withSlash[0]!.statusCode).toBe(example.response.status);
  });

  it.each(providers.map((provider) => [provider.title, provider.slug] as const))(
    '%s: a fault aimed at a declared route applies to it with the slash too',
    async (_title, slug) => {
      const app = await makeApp();
      const examples = readExamples(slug).map(({ example }) => example);
      for (const route of await declaredRoutes(app, slug)) {
        const example = examples.find((candidate) => servedBy(route, candidate.request.url.split('?')[0] ?? ''))!;
        const added = await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: slug, route, status: 503, times: 1 } });
        expect(added.statusCode, route).toBe(201);
        const response = await app.inject(request(example, true));
        expect(response.statusCode, route).toBe(503);
        expect((await app.inject(request(example, true))).statusCode, route).toBe(example.response.status);
      }
    },
  );

  it('the journal keeps the path as sent', async () => {
    const app = await makeApp();
    const [example] = readExamples('datafiniti').map(({ example }) => example);
    await app.inject(request(example!, true));
    expect(memoryState(app).journal.list().map((entry) => [entry.provider, entry.path])).toEqual([['datafiniti', '/v3/users/']]);
  });

  it('Plaspy’s /api/users/ is the list, not a user with an empty id', async () => {
    const app = await makeApp();
    const headers = { authorization: 'Bearer plaspy-demo-token' };
    const list = await app.inject({ url: '/api/users/', headers });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ success: true, apiUsage: 150, apiDailyUsage: 15, users: [{ id: 'usr-12345' }] });
  });

  it('one slash only: a second one is not the route', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/v3/users//', headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: 'Not Found', message: 'No route for GET /v3/users//', code: 404 });
  });
});

/** Ajv's own phrasings, which would describe the mock's schema rather than the client's URL. */
const VALIDATOR_WORDING = /must NOT|fewer than|more than|must match|must be equal|must have required|must be (string|integer|number)\b/;

describe('a path parameter is judged in the mock’s own words', () => {
  it('Plaspy /api/users// (an empty userId): a 400 naming the parameter, in Plaspy’s envelope, counting nothing', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users//', headers: { authorization: 'Bearer plaspy-demo-token' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      success: false,
      error: "Invalid path parameter 'userId': must not be empty",
      apiUsage: 149,
      apiDailyUsage: 14,
    });
  });

  it('every route with a path parameter, given an empty or overlong one, answers without the validator’s wording', async () => {
    const app = await makeApp();
    await app.ready();
    const paths = Object.keys((app.swagger() as { paths: Record<string, unknown> }).paths).filter((path) => path.includes('{'));
    expect(paths.length).toBeGreaterThan(5);
    for (const path of paths) {
      for (const value of ['', 'x'.repeat(1024), '%20']) {
        const url = path.replace(/\{[^}]+\}/g, value);
        const response = await app.inject({ url, headers: { authorization: 'Bearer plaspy-demo-token' } });
        expect(response.statusCode, url).toBeLessThan(500);
        expect(response.body, url).not.toMatch(VALIDATOR_WORDING);
      }
    }
  });
});
