import { describe, expect, it } from 'vitest';
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
