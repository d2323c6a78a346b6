import { describe, expect, it } from 'vitest';
import { credentialIdentity, redacted } from '../../src/http/redaction.js';
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

  it('reads back after a body nested 5,000 levels deep (an 8 KB body), which it keeps as a note', async () => {
    const app = await makeApp();
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const posted = await app.inject({ method: 'POST', url: '/nowhere', headers: { 'content-type': 'application/json' }, payload: deep });
    expect(posted.statusCode).toBe(404);
    const read = await app.inject({ url: '/__mock/requests' });
    expect(read.statusCode).toBe(200);
    expect(read.json().requests[0].body).toEqual({ truncated: true, bytes: deep.length, nestedDeeperThan: 32 });
  });

  it('hands back no secret a request carried, only a stable identity of each', async () => {
    const app = await makeApp();
    const secrets = ['plaspy-demo-token', 'WtUFnj8pvSxVnH9e_xkq7A', '9e1808205b91362f9e3543aa4cea406e4aeedc69', 'proxy-pass', 'cookie-secret', 'admin-secret', 'basic-pass'];
    await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${secrets[0]}`, 'proxy-authorization': `Bearer ${secrets[3]}` } });
    await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': secrets[1]!, cookie: `session=${secrets[4]}` } });
    await app.inject({ url: `/api/v2/users/account_info?key=${secrets[2]}`, headers: { 'x-mock-admin-token': secrets[5]! } });
    await app.inject({ url: '/v3/users', headers: { authorization: `${basic('AAAXXXXXXXXXXXX', secrets[6])}!` } });
    const body = (await app.inject({ url: '/__mock/requests' })).body;
    for (const secret of secrets) {
      expect(body).not.toContain(secret);
      expect(body).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
    }
    const [plaspy, datonis, fingerbank] = JSON.parse(body).requests;
    expect(plaspy.headers.authorization).toBe(`Bearer ${redacted(secrets[0]!)}`);
    expect(datonis.headers['x-auth-token']).toBe(redacted(secrets[1]!));
    expect(fingerbank.query.key).toContain(credentialIdentity(secrets[2]!));
  });
});
