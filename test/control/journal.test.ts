import { describe, expect, it } from 'vitest';
import { basic, makeApp } from '../helpers.js';

describe('request journal', () => {
  it('records the exact Authorization header a client sent, with the rest of the request', async () => {
    const app = await makeApp();
    const authorization = basic('AAAXXXXXXXXXXXX');
    await app.inject({ url: '/v3/users?x=1', headers: { authorization, 'x-trace': 'abc' } });
    const { requests } = (await app.inject({ url: '/__mock/requests?provider=datafiniti' })).json();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      provider: 'datafiniti',
      method: 'GET',
      path: '/v3/users',
      query: { x: '1' },
      status: 200,
      body: null,
    });
    expect(requests[0].headers.authorization).toBe(authorization);
    expect(requests[0].headers['x-trace']).toBe('abc');
    expect(Date.parse(requests[0].time)).not.toBeNaN();
  });

  it('records the JSON body sent with a Datonis GET, and failed requests too', async () => {
    const app = await makeApp();
    await app.inject({
      url: '/api/v3/users',
      headers: { 'content-type': 'application/json', 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' },
      payload: '{"per":"2","page":"2"}',
    });
    await app.inject({ url: '/api/users' });
    const { requests } = (await app.inject({ url: '/__mock/requests' })).json();
    expect(requests.map((entry: { provider: string; status: number }) => [entry.provider, entry.status])).toEqual([
      ['datonis', 200],
      ['plaspy', 401],
    ]);
    expect(requests[0].body).toEqual({ per: '2', page: '2' });
  });

  it('filters by provider, by path and by prefix, and keeps the last N', async () => {
    const app = await makeApp();
    const plaspy = { authorization: 'Bearer plaspy-demo-token' };
    await app.inject({ url: '/api/users', headers: plaspy });
    await app.inject({ url: '/api/users/usr-12345', headers: plaspy });
    await app.inject({ url: '/api/users/12345', headers: plaspy });
    const exact = (await app.inject({ url: '/__mock/requests?path=/api/users' })).json();
    expect(exact.total).toBe(1);
    const prefix = (await app.inject({ url: '/__mock/requests?path=/api/users/*&limit=1' })).json();
    expect(prefix.requests.map((entry: { path: string }) => entry.path)).toEqual(['/api/users/12345']);
  });

  it('keeps at most the configured number of requests, oldest dropped first', async () => {
    const app = await makeApp({ journalSize: 3 });
    for (let i = 0; i < 5; i++) await app.inject({ url: `/v3/users?n=${i}` });
    const body = (await app.inject({ url: '/__mock/requests' })).json();
    expect(body.capacity).toBe(3);
    expect(body.requests.map((entry: { query: { n: string } }) => entry.query.n)).toEqual(['2', '3', '4']);
  });

  it('is cleared by DELETE, and does not record the control plane itself', async () => {
    const app = await makeApp();
    await app.inject({ url: '/v3/users' });
    expect((await app.inject({ method: 'DELETE', url: '/__mock/requests' })).statusCode).toBe(204);
    await app.inject({ url: '/__mock/accounts' });
    expect((await app.inject({ url: '/__mock/requests' })).json().requests).toEqual([]);
  });

  it('refuses an unknown provider filter or a bad limit with 400', async () => {
    const app = await makeApp();
    expect((await app.inject({ url: '/__mock/requests?provider=stripe' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/__mock/requests?limit=-1' })).statusCode).toBe(400);
  });
});
