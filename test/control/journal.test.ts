import { describe, expect, it } from 'vitest';
import { credentialIdentity, redacted } from '../../src/http/redaction.js';
import { startMock } from '../../src/mock.js';
import { basic, makeApp } from '../helpers.js';

describe('request journal', () => {
  it('records the headers a client sent, with the rest of the request, an API token in a Basic user name redacted', async () => {
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
    // the base64 of `token:` would hand the token back
    expect(requests[0].headers.authorization).toBe(`Basic ${redacted('AAAXXXXXXXXXXXX')}`);
    expect(requests[0].credential).toBe(credentialIdentity('AAAXXXXXXXXXXXX'));
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

describe('journal verification', () => {
  const plaspy = { authorization: 'Bearer plaspy-demo-token' };
  const count = async (app: Awaited<ReturnType<typeof makeApp>>, query: string) => {
    const answer = await app.inject({ url: `/__mock/requests/count?${query}` });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json().count as number;
  };

  it('reports as total every match, not the page that limit returns', async () => {
    const app = await makeApp();
    for (let i = 0; i < 4; i++) await app.inject({ url: '/api/users', headers: plaspy });
    await app.inject({ url: '/v3/users' });
    const page = (await app.inject({ url: '/__mock/requests?provider=plaspy&limit=2' })).json();
    expect(page.total).toBe(4);
    expect(page.requests).toHaveLength(2);
    expect(page.requests.map((entry: { id: number }) => entry.id)).toEqual([3, 4]);
    const all = (await app.inject({ url: '/__mock/requests' })).json();
    expect([all.total, all.requests.length]).toEqual([5, 5]);
    const none = (await app.inject({ url: '/__mock/requests?path=/nowhere&limit=3' })).json();
    expect([none.total, none.requests.length]).toEqual([0, 0]);
  });

  it('counts by provider, path, method, status, credential, query parameter and header', async () => {
    const app = await makeApp();
    await app.inject({ url: '/api/users', headers: { ...plaspy, 'x-trace': 'one' } });
    await app.inject({ url: '/api/users?page=2', headers: plaspy });
    await app.inject({ url: '/api/users/usr-12345', headers: plaspy });
    await app.inject({ url: '/api/users', headers: { authorization: 'Bearer nobody' } });
    await app.inject({ method: 'POST', url: '/api/users', headers: plaspy, payload: {} });
    await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX') } });
    expect(await count(app, '')).toBe(6);
    expect(await count(app, 'provider=plaspy')).toBe(5);
    expect(await count(app, 'provider=datafiniti')).toBe(1);
    expect(await count(app, 'path=/api/users')).toBe(4);
    expect(await count(app, 'path=/api/users/*')).toBe(1);
    expect(await count(app, 'method=POST')).toBe(1);
    expect(await count(app, 'method=GET&path=/api/users')).toBe(3);
    expect(await count(app, 'status=401')).toBe(1);
    expect(await count(app, 'status=200&provider=plaspy')).toBe(3);
    expect(await count(app, 'credential=plaspy-demo-token')).toBe(4);
    expect(await count(app, `credential=${credentialIdentity('plaspy-demo-token')}`)).toBe(4);
    expect(await count(app, `credential=${encodeURIComponent(redacted('plaspy-demo-token'))}`)).toBe(4);
    expect(await count(app, 'credential=nobody&status=401')).toBe(1);
    expect(await count(app, 'credential=AAAXXXXXXXXXXXX')).toBe(1);
    expect(await count(app, 'query.page=2')).toBe(1);
    expect(await count(app, 'query.page=3')).toBe(0);
    expect(await count(app, 'header.x-trace=one')).toBe(1);
    expect(await count(app, 'header.X-Trace=one')).toBe(1);
    // a secret header matches as sent, or as the journal shows it
    expect(await count(app, `header.authorization=${encodeURIComponent('Bearer plaspy-demo-token')}`)).toBe(4);
    expect(await count(app, `header.authorization=${encodeURIComponent(`Bearer ${redacted('plaspy-demo-token')}`)}`)).toBe(4);
  });

  it('matches a query credential as sent or as redacted', async () => {
    const app = await makeApp();
    const key = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
    await app.inject({ url: `/api/v2/users/account_info?key=${key}` });
    expect(await count(app, `query.key=${key}`)).toBe(1);
    expect(await count(app, `query.key=${encodeURIComponent(redacted(key))}`)).toBe(1);
    expect(await count(app, 'query.key=other')).toBe(0);
  });

  it('refuses an unknown filter, a bad status or method with 400 naming it', async () => {
    const app = await makeApp();
    const unknown = await app.inject({ url: '/__mock/requests/count?colour=red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain("'colour'");
    expect((await app.inject({ url: '/__mock/requests/count?status=abc' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/__mock/requests/count?method=FETCH' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/__mock/requests/count?provider=stripe' })).statusCode).toBe(400);
  });

  it('keeps the identity of the credential each provider reads, however it is sent, and never the secret', async () => {
    const app = await makeApp();
    const fingerbankKey = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
    await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX') } });
    await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX', 'basic-pass') } });
    await app.inject({ url: `/api/v2/users/account_info?key=${fingerbankKey}` });
    await app.inject({ url: '/api/v2/users/account_info', headers: { authorization: `Bearer ${fingerbankKey}` } });
    await app.inject({ url: `/api/v2/users/account_info/${fingerbankKey}` });
    await app.inject({ url: '/api/users', headers: plaspy });
    await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' } });
    await app.inject({ url: '/api/v3/users' });
    const answer = await app.inject({ url: '/__mock/requests' });
    const entries = answer.json().requests as { path: string; credential: string | null; status: number }[];
    expect(entries.map((entry) => entry.credential)).toEqual([
      credentialIdentity('AAAXXXXXXXXXXXX'),
      // Datafiniti reads no token from a Basic header with a password: the call carried none it takes
      null,
      credentialIdentity(fingerbankKey),
      credentialIdentity(fingerbankKey),
      credentialIdentity(fingerbankKey),
      credentialIdentity('plaspy-demo-token'),
      credentialIdentity('WtUFnj8pvSxVnH9e_xkq7A'),
      null,
    ]);
    // the key in Fingerbank's path is the path as sent; anywhere else, and in the answers, no secret shows
    const elsewhere = JSON.stringify(entries.map((entry) => ({ ...entry, path: entry.path.replace(fingerbankKey, ':account_key') })));
    for (const secret of ['basic-pass', fingerbankKey, 'plaspy-demo-token', 'WtUFnj8pvSxVnH9e_xkq7A']) {
      expect(elsewhere).not.toContain(secret);
      expect(elsewhere).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
    }
    // Fingerbank answers with the caller's key: the journal shows its identity there instead
    expect(JSON.stringify((entries[2] as unknown as { responseBody: unknown }).responseBody)).toContain(redacted(fingerbankKey));
  });

  it('keeps the body answered: JSON as JSON, bounded as request bodies are', async () => {
    const app = await makeApp();
    await app.inject({ url: '/api/users', headers: plaspy });
    await app.inject({ url: '/api/users' });
    await app.inject({ method: 'POST', url: '/__mock/datonis/accounts/a7c2e9f41b/users/generate', payload: { count: 400 } });
    await app.inject({ url: '/api/v3/users?per=200', headers: { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' } });
    const [listed, refused, large] = (await app.inject({ url: '/__mock/requests' })).json().requests;
    const again = (await app.inject({ url: '/api/users', headers: plaspy })).json();
    expect(listed.responseBody).toEqual({ ...again, apiUsage: again.apiUsage - 1, apiDailyUsage: again.apiDailyUsage - 1 });
    expect(refused.status).toBe(401);
    expect(refused.responseBody).toMatchObject({ success: false });
    expect(large.status).toBe(200);
    expect(large.responseBody).toEqual({ truncated: true, bytes: expect.any(Number) });
    expect(large.responseBody.bytes).toBeGreaterThan(16 * 1024);
  });

  it('keeps the status and body of router refusals', async () => {
    const app = await makeApp();
    await app.inject({ url: '/v3/%zz' });
    await app.inject({ url: '/api/users/a/b/c', headers: plaspy });
    await app.inject({ url: '/api/v2/%zz?key=fb-secret-key' });
    const answers = await Promise.all(['/v3/%zz', '/api/users/a/b/c', '/api/v2/%zz?key=fb-secret-key'].map((url) => app.inject({ url, headers: plaspy })));
    const [malformed, unknown, quoted] = (await app.inject({ url: '/__mock/requests' })).json().requests;
    expect(malformed).toMatchObject({ provider: 'datafiniti', status: 400, responseBody: answers[0]!.json() });
    expect(unknown).toMatchObject({ provider: 'plaspy', status: 404, credential: credentialIdentity('plaspy-demo-token') });
    expect(unknown.responseBody).toEqual(answers[1]!.json());
    expect(quoted).toMatchObject({ provider: 'fingerbank', status: 400, credential: credentialIdentity('fb-secret-key') });
    expect(JSON.stringify(quoted)).not.toContain('fb-secret-key');
  });
});

describe('calls whose connection a fault broke', () => {
  it('are journaled with status 0 and no answer, the truncated one with its status and whole answer', async () => {
    const mock = await startMock({ users: 2 });
    try {
      const headers = { authorization: 'Bearer plaspy-demo-token' };
      for (const connection of ['reset', 'empty', 'truncate'] as const) {
        await mock.control.addFault({ provider: 'plaspy', connection, times: 1 });
        await fetch(`${mock.url}/api/users?n=${connection}`, { headers }).then((answer) => answer.text()).catch(() => undefined);
      }
      await mock.control.addFault({ provider: 'plaspy', connection: 'hang', times: 1 });
      await fetch(`${mock.url}/api/users?n=hang`, { headers, signal: AbortSignal.timeout(300) }).catch(() => undefined);
      await fetch(`${mock.url}/api/users?n=after`, { headers });
      const entries = (await mock.control.requests({ provider: 'plaspy' })).map((entry) => [entry.query.n, entry.status, entry.responseBody === null, entry.credential]);
      const token = credentialIdentity('plaspy-demo-token');
      expect(entries).toEqual([
        ['reset', 0, true, token],
        ['empty', 0, true, token],
        ['truncate', 200, false, token],
        ['hang', 0, true, token],
        ['after', 200, false, token],
      ]);
      await mock.control.expectRequests({ credential: 'plaspy-demo-token', status: 0 }, 3);
    } finally {
      await mock.close();
    }
  });
});

describe('a credential the provider reads unvalidated', () => {
  it('is no credential when it is not one string (a repeated ?key= on an unknown path), and the answer is the provider’s', async () => {
    const app = await makeApp();
    const answer = await app.inject({ url: '/api/v2/users//account_info?key=a&key=b' });
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).not.toHaveProperty('code');
    const [entry] = (await app.inject({ url: '/__mock/requests' })).json().requests;
    expect(entry).toMatchObject({ provider: 'fingerbank', status: 404, credential: null });
  });
});
