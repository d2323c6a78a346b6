import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { demoCall } from '../credentials.js';
import { makeApp } from '../helpers.js';

/** One documented call per provider, with its credential, as the start-up banner prints it. */
const CALLS = providers.map((provider) => ({ provider: provider.slug, ...demoCall(provider) }));

describe('Prefer values out of range', () => {
  it.each(CALLS.flatMap((call) =>
    [
      ['delay=60001', 'delay=60001'],
      ['delay=-5', 'delay=-5'],
      ['delay=1.5', 'delay=1.5'],
      ['code=999', 'code=999'],
      ['code=99', 'code=99'],
      ['code=201', 'code=201'],
      ['code=302', 'code=302'],
      ['connection=explode', 'connection=explode'],
      ['code=503, delay=70000', 'delay=70000'],
    ].map(([prefer, named]) => ({ ...call, prefer: prefer!, named: named! })),
  ))('$provider: Prefer: $prefer is a 400 in the provider’s envelope naming it', async ({ url, headers, prefer, named }) => {
    const app = await makeApp();
    const response = await app.inject({ url, headers: { ...headers, prefer } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain(`Prefer: ${named}`);
    const normal = await app.inject({ url, headers });
    expect(normal.statusCode).toBe(200);
  });

  it.each(CALLS)('$provider: a route’s own status, an error status and values it does not understand are honoured or ignored', async ({ url, headers }) => {
    const app = await makeApp();
    expect((await app.inject({ url, headers: { ...headers, prefer: 'code=200' } })).statusCode).toBe(200);
    expect((await app.inject({ url, headers: { ...headers, prefer: 'code=418' } })).statusCode).toBe(418);
    expect((await app.inject({ url, headers: { ...headers, prefer: 'code=abc, delay=soon, colour=red' } })).statusCode).toBe(200);
  });
});

/** Every documented example, as `verify` sends it. */
const EXAMPLES = providers.flatMap((provider) => readExamples(provider.slug).map(({ name, example }) => ({ provider: provider.slug, name, example })));

describe('Prefer: example=<name>', () => {
  it.each(EXAMPLES)('$provider: answers the documented example $name on its own request', async ({ name, example }) => {
    const app = await makeApp();
    const { method, url, headers, body } = example.request;
    const response = await app.inject({ method: method as 'GET', url, headers: { ...headers, prefer: `example=${name}` }, ...(body === undefined ? {} : { payload: body }) });
    expect(response.statusCode).toBe(example.response.status);
    expect(response.json()).toEqual(example.response.body);
  });

  it('answers the example asked for, not what the call itself would get', async () => {
    const app = await makeApp();
    const [notFound] = readExamples('plaspy').filter(({ name }) => name === 'get-user-not-found');
    const plaspy = await app.inject({ url: '/api/users/usr-12345', headers: { authorization: 'Bearer plaspy-demo-token', prefer: 'example=get-user-not-found' } });
    expect(plaspy.statusCode).toBe(404);
    expect(plaspy.json()).toEqual(notFound!.example.response.body);
    const [unauthorized] = readExamples('datafiniti').filter(({ name }) => name === 'unauthorized');
    const datafiniti = await app.inject({ url: '/v3/users', headers: { ...demoCall(providers.find((p) => p.slug === 'datafiniti')!).headers, prefer: 'example=unauthorized, delay=1' } });
    expect(datafiniti.statusCode).toBe(401);
    expect(datafiniti.json()).toEqual(unauthorized!.example.response.body);
  });

  it.each(CALLS)('$provider: an example this route does not have is a 400 naming what Prefer accepts and the route’s examples', async ({ provider, url, headers }) => {
    const app = await makeApp();
    const response = await app.inject({ url, headers: { ...headers, prefer: 'example=nope' } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Prefer: example=nope');
    expect(response.body).toContain('code, delay, connection, example');
    const path = url.split('?')[0]!;
    const own = EXAMPLES.filter((entry) => entry.provider === provider && entry.example.request.url.split('?')[0] === path).map((entry) => entry.name);
    for (const name of own) expect(response.body).toContain(name);
    expect((await app.inject({ url, headers })).statusCode).toBe(200);
  });

  it('does not offer another route’s examples', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/users/usr-12345', headers: { authorization: 'Bearer plaspy-demo-token', prefer: 'example=list-users' } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('get-user-not-found');
    expect(response.body).not.toContain('invalid-token');
  });
});
