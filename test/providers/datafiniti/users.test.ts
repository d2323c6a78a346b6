import { describe, expect, it } from 'vitest';
import { basic, makeApp } from '../../helpers.js';

const TOKEN = 'AAAXXXXXXXXXXXX';
const UNAUTHORIZED = {
  error: 'Unauthorized',
  message: 'Authentication required. Please provide a valid API token',
  code: 401,
};

describe('Datafiniti GET /v3/users', () => {
  it('returns the caller’s own account as a one-element array', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/v3/users', headers: { authorization: basic(TOKEN) } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ token: TOKEN, organization: 'Acme Corp', first_name: 'John' });
  });

  it('accepts the token sent as `curl --user TOKEN:` and as the URL form TOKEN:@host', async () => {
    const app = await makeApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    // fetch refuses credentials in URLs, so send what curl sends for http://TOKEN:@host/v3/users
    const response = await fetch(`http://127.0.0.1:${port}/v3/users`, {
      headers: { authorization: `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string }[];
    expect(body[0]?.token).toBe(TOKEN);
  });

  it('opens a generated account with its own token and no other', async () => {
    const app = await makeApp({ users: 3 });
    const accounts = (app.mock.storeOf('datafiniti') as unknown as { list(): { token: string }[] }).list();
    const generated = accounts.find((account) => account.token !== TOKEN);
    expect(generated).toBeDefined();
    const response = await app.inject({ url: '/v3/users', headers: { authorization: basic(generated!.token) } });
    expect(response.json()).toEqual([generated]);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an unknown token', basic('NOT-A-TOKEN')],
    ['a password beside the token', basic(TOKEN, 'secret')],
    ['an empty user name', basic('')],
    ['the Bearer scheme', `Bearer ${TOKEN}`],
    ['a malformed Basic value', 'Basic !!!'],
    ['another provider’s credential', 'Bearer plaspy-demo-token'],
  ])('answers %s with the documented 401 body', async (_name, authorization) => {
    const app = await makeApp();
    const response = await app.inject({
      url: '/v3/users',
      headers: authorization === undefined ? {} : { authorization },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(UNAUTHORIZED);
  });
});

describe('Datafiniti accounts the control plane fills in', () => {
  it('are the seeded accounts after the generated ones: the same seed gives the same accounts whichever path made them', async () => {
    const filled = await makeApp({ seed: 11, users: 3 });
    const added: unknown[] = [];
    for (let i = 0; i < 2; i++) added.push((await filled.inject({ method: 'POST', url: '/__mock/datafiniti/accounts', payload: {} })).json());
    const generated = await makeApp({ seed: 11, users: 5 });
    const accounts = (await generated.inject({ url: '/__mock/datafiniti/accounts' })).json().items as unknown[];
    expect(JSON.stringify(added)).toBe(JSON.stringify(accounts.slice(-2)));
    const token = (added[1] as { token: string }).token;
    expect((await filled.inject({ url: '/v3/users', headers: { authorization: basic(token) } })).json()).toEqual([added[1]]);
  });
});

describe('Datafiniti’s Basic challenge', () => {
  it.each([
    ['no credential', {}],
    ['an unknown token', { authorization: basic('nope') }],
    ['a Bearer header', { authorization: `Bearer ${TOKEN}` }],
  ])('a 401 to %s names the Basic scheme and its realm, as Basic servers do', async (_name, headers) => {
    const app = await makeApp();
    const response = await app.inject({ url: '/v3/users', headers });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Basic realm="Datafiniti API"');
  });

  it('leaves the challenge out for a page’s script, whose browser would prompt instead of showing the 401', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/v3/users', headers: { 'sec-fetch-mode': 'cors' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(UNAUTHORIZED);
    expect(response.headers['www-authenticate']).toBeUndefined();
  });

  it('sends no challenge with an answer that is not a 401', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/v3/users', headers: { authorization: basic(TOKEN) } });
    expect(response.headers['www-authenticate']).toBeUndefined();
  });
});
