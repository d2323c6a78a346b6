import { describe, expect, it } from 'vitest';
import type { DatonisStore } from '../../../src/providers/datonis/store.js';
import { makeApp } from '../../helpers.js';

const TOKEN = 'WtUFnj8pvSxVnH9e_xkq7A';
const OTHER_TOKEN = 'olezAZXGQn9MutnfNerKDQ';
const CHILD_KEY = 'c5d8b3e62a';
const JSON_TYPE = { 'content-type': 'application/json' };

interface UsersBody {
  total_count: number;
  page: number | string;
  users: Record<string, unknown>[];
}

async function list(query = '', body?: unknown, headers: Record<string, string> = { 'x-auth-token': TOKEN }) {
  const app = await makeApp({ users: 30 });
  const response = await app.inject({
    method: 'GET',
    url: `/api/v3/users${query}`,
    headers: body === undefined ? headers : { ...JSON_TYPE, ...headers },
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { app, response, body: response.json() as UsersBody };
}

const names = (body: UsersBody) => body.users.map((user) => user.first_name);

describe('Datonis GET /api/v3/users: credentials', () => {
  it.each([TOKEN, OTHER_TOKEN])('opens the Acme account with token %s', async (token) => {
    const { response, body } = await list('', undefined, { 'x-auth-token': token });
    expect(response.statusCode).toBe(200);
    expect(body.total_count).toBe(3);
    expect(names(body)).toEqual(['Bill', 'Jack', 'Mike']);
  });

  it.each([
    ['no token', {}],
    ['an unknown token', { 'x-auth-token': 'nope' }],
    ['the token as a Bearer header', { authorization: `Bearer ${TOKEN}` }],
    ['Datafiniti’s credential', { authorization: 'Basic QUFBWFhYWFhYWFhYWFhYOg==' }],
    ['Plaspy’s token', { 'x-auth-token': 'plaspy-demo-token' }],
    ['Fingerbank’s key', { 'x-auth-token': '9e1808205b91362f9e3543aa4cea406e4aeedc69' }],
  ])('answers %s with 401 in the Datonis format', async (_name, headers) => {
    const { response } = await list('', undefined, headers as Record<string, string>);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 401, message: 'Invalid or missing X-Auth-Token' } });
  });

  it('checks the token before reading the body', async () => {
    const { response } = await list('', '{not json', { 'x-auth-token': 'nope' });
    expect(response.statusCode).toBe(401);
  });
});

describe('Datonis paging', () => {
  it('returns 20 users by default, page 1', async () => {
    const { body } = await list('?is_oem=true&child_organisation_key=' + CHILD_KEY);
    expect(body.total_count).toBe(30);
    expect(body.page).toBe(1);
    expect(body.users).toHaveLength(20);
  });

  it('pages with per and page, from the query string or the JSON body', async () => {
    const fromQuery = await list('?per=2&page=2');
    expect(names(fromQuery.body)).toEqual(['Mike']);
    const fromBody = await list('', { per: 2, page: 2 });
    expect(names(fromBody.body)).toEqual(['Mike']);
  });

  it('echoes page in the type in which it was sent', async () => {
    expect((await list('', { page: 1 })).body.page).toBe(1);
    expect((await list('', { page: '1' })).body.page).toBe('1');
    expect((await list('?page=1')).body.page).toBe('1');
    expect((await list('')).body.page).toBe(1);
  });

  it('answers a page past the last with no users and the true total', async () => {
    const { body } = await list('', { page: 9, per: 2 });
    expect(body).toEqual({ total_count: 3, page: 9, users: [] });
  });

  it('takes the query string’s value where query and body name the same parameter, as Rails merges them', async () => {
    const { body } = await list('?per=1', { per: 3 });
    expect(body.users).toHaveLength(1);
  });
});

describe('Datonis ordering, search and formats', () => {
  it('orders by any user field, ascending by default and descending on request', async () => {
    expect(names((await list('?order_by=last_name')).body)).toEqual(['Bill', 'Mike', 'Jack']);
    expect(names((await list('?order_by=last_name&order=desc')).body)).toEqual(['Jack', 'Mike', 'Bill']);
    expect(names((await list('', { order_by: 'created_at', order: 'desc' })).body)).toEqual(['Mike', 'Jack', 'Bill']);
    expect(names((await list('?order=desc')).body)).toEqual(['Mike', 'Jack', 'Bill']);
  });

  it('searches user_key, name, tags and user-defined properties, case-insensitively', async () => {
    const app = await makeApp({ users: 0 });
    const store = app.mock.storeOf('datonis') as DatonisStore;
    const acme = store.findByToken(TOKEN)!;
    const bill = acme.users[0]!;
    acme.users[0] = { ...bill, tags: ['plant-7'], user_defined_properties: { shift: 'night' } };
    const search = async (query: Record<string, string>) =>
      names(
        (
          await app.inject({ url: '/api/v3/users', query, headers: { 'x-auth-token': TOKEN } })
        ).json() as UsersBody,
      );
    expect(await search({ search: '93ET87' })).toEqual(['Jack']);
    expect(await search({ search: 'timberly' })).toEqual(['Jack']);
    expect(await search({ search: 'PLANT-7' })).toEqual(['Bill']);
    expect(await search({ search: 'night' })).toEqual(['Bill']);
    expect(await search({ search: 'bill.doe' })).toEqual([]);
    expect(await search({ search: 'mumbai' })).toEqual([]);
    expect(await search({ search: 'Jack Mike', scope: 'any' })).toEqual(['Jack', 'Mike']);
    expect(await search({ search: 'Jack Timberly' })).toEqual(['Jack']);
    expect(await search({ search: '   ' })).toEqual(['Bill', 'Jack', 'Mike']);
  });

  it('matches the keys of user_defined_properties as well as their values, and never across two fields', async () => {
    const app = await makeApp();
    const store = app.mock.storeOf('datonis') as DatonisStore;
    const acme = store.findByToken(TOKEN)!;
    acme.users[1] = { ...acme.users[1]!, user_defined_properties: { team: 'blue' } };
    const search = async (search: string) =>
      names((await app.inject({ url: '/api/v3/users', query: { search }, headers: { 'x-auth-token': TOKEN } })).json() as UsersBody);
    expect(await search('team')).toEqual(['Jack']);
    expect(await search('TEA')).toEqual(['Jack']);
    expect(await search('blue')).toEqual(['Jack']);
    expect(await search('teamblue')).toEqual([]);
    expect(await search('jacktimberly')).toEqual([]);
    expect(await search('yahoo')).toEqual([]);
    expect(await search('bandra')).toEqual([]);
    expect(await search('admin')).toEqual([]);
  });

  it('formats timestamps as epoch seconds by default and as UTC strings on request', async () => {
    const ints = (await list('?per=1')).body.users[0]!;
    expect(ints).toMatchObject({ created_at: 1446627978, updated_at: 1448445578 });
    const strs = (await list('?per=1&timestamp_format=str')).body.users[0]!;
    expect(strs).toMatchObject({ created_at: '2015/11/04 09:06:18', updated_at: '2015/11/25 09:59:38' });
    expect(strs.confirmed_at).toBe('2015-11-04T09:08:01.247Z');
  });

  it('pretty-prints on request and only then', async () => {
    const pretty = await list('?pretty=true');
    expect(pretty.response.body).toContain('\n  "total_count": 3');
    expect(JSON.parse(pretty.response.body)).toEqual((await list('')).body);
    expect((await list('', { pretty: false })).response.body).not.toContain('\n');
  });

  it.each([
    ['comma-separated', '?field_list=first_name,user_key', undefined],
    ['repeated', '?field_list=first_name&field_list=user_key', undefined],
    ['Rails brackets', '?field_list[]=user_key&field_list[]=first_name', undefined],
    ['a JSON array', '', { field_list: ['user_key', 'first_name'] }],
  ])('returns only the fields of field_list sent %s', async (_how, query, body) => {
    const result = await list(query, body);
    expect(result.response.statusCode).toBe(200);
    expect(result.body.users[0]).toEqual({ first_name: 'Bill', user_key: '1e5228ttd8' });
  });
});

describe('Datonis OEM child organisations', () => {
  it('lists a child organisation’s users with is_oem and child_organisation_key', async () => {
    const { body } = await list('', { is_oem: true, child_organisation_key: CHILD_KEY, per: 5 });
    expect(body.total_count).toBe(30);
    expect(body.users).toHaveLength(5);
    expect(names(body)).not.toContain('Bill');
  });

  it('lists the caller’s own users when is_oem is false', async () => {
    const { body } = await list('?is_oem=false&child_organisation_key=' + CHILD_KEY);
    expect(names(body)).toEqual(['Bill', 'Jack', 'Mike']);
  });

  it('opens the child organisation with its own token, but not its parent', async () => {
    const app = await makeApp({ users: 4 });
    const child = (app.mock.storeOf('datonis') as DatonisStore).findOrganisation(CHILD_KEY)!;
    const headers = { 'x-auth-token': child.tokens[0]! };
    const own = await app.inject({ url: '/api/v3/users', headers });
    expect((own.json() as UsersBody).total_count).toBe(4);
    const parent = await app.inject({ url: `/api/v3/users?is_oem=true&child_organisation_key=a7c2e9f41b`, headers });
    expect(parent.statusCode).toBe(403);
  });

  it.each([
    ['is_oem without child_organisation_key', '?is_oem=true', 400, 'child_organisation_key is required when is_oem is present'],
    ['an unknown child', '?is_oem=true&child_organisation_key=nope', 404, 'No child organisation with this child_organisation_key'],
  ])('answers %s with a clear error', async (_name, query, status, message) => {
    const { response } = await list(query);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toEqual({ error: { code: status, message } });
  });
});

describe('Datonis bad input', () => {
  it.each([
    ['page zero', '?page=0', undefined, "Invalid parameter 'page'"],
    ['a negative page', '', { page: -1 }, "Invalid parameter 'page'"],
    ['a huge page', '?page=99999999999999999999', undefined, "Invalid parameter 'page'"],
    ['a page that is not a number', '?page=two', undefined, "Invalid parameter 'page'"],
    ['per zero', '?per=0', undefined, "Invalid parameter 'per'"],
    ['a huge per', '', { per: 1000001 }, "Invalid parameter 'per'"],
    ['a fractional per', '', { per: 2.5 }, "Invalid parameter 'per'"],
    ['an unknown order_by', '?order_by=password', undefined, "Invalid parameter 'order_by'"],
    ['an unknown order', '?order=up', undefined, "Invalid parameter 'order'"],
    ['an unknown scope', '?search=a&scope=some', undefined, "Invalid parameter 'scope'"],
    ['an unknown timestamp_format', '?timestamp_format=iso', undefined, "Invalid parameter 'timestamp_format'"],
    ['pretty that is not a boolean', '?pretty=very', undefined, "Invalid parameter 'pretty'"],
    ['an unknown field in field_list', '?field_list=first_name,password', undefined, 'Unknown field in field_list: password'],
    ['a malformed JSON body', '', '{"per": 2', 'The request body is not valid JSON'],
  ])('answers %s with 400 naming the problem, and changes nothing', async (_name, query, body, message) => {
    const { app, response } = await list(query, body);
    expect(response.statusCode).toBe(400);
    const error = (response.json() as { error: { code: number; message: string } }).error;
    expect(error.code).toBe(400);
    expect(error.message).toContain(message);
    const after = await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': TOKEN } });
    expect((after.json() as UsersBody).total_count).toBe(3);
  });

  type NotInteger = [name: string, query: string, body: { page: string } | undefined, parameter: string];
  it.each<NotInteger>([
    ...['1e3', '1.0', '0x10', ' 2', '2 ', '+2', '2.5', ''].flatMap((value): NotInteger[] => [
      [`page=${JSON.stringify(value)} in the query`, `?page=${encodeURIComponent(value)}`, undefined, 'page'],
      [`per=${JSON.stringify(value)} in the query`, `?per=${encodeURIComponent(value)}`, undefined, 'per'],
      [`"page": ${JSON.stringify(value)} in the body`, '', { page: value }, 'page'],
    ]),
    ['a repeated page whose last value is not an integer', '?page=1&page=1e3', undefined, 'page'],
  ])('answers %s ("Must be Integer") with 400 naming the parameter', async (_name, query, body, name) => {
    const { response } = await list(query, body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 400, message: `Invalid parameter '${name}': must be an integer, in decimal digits` } });
  });

  it('takes integers written in decimal digits, as text or as JSON numbers', async () => {
    for (const [query, body] of [['?per=2&page=2', undefined], ['?per=002&page=02', undefined], ['', { per: 2, page: '2' }], ['', { per: '2', page: 2.0 }]] as const) {
      const { response } = await list(query, body);
      expect(response.statusCode, query || JSON.stringify(body)).toBe(200);
      expect(names(response.json() as UsersBody)).toEqual(['Mike']);
    }
  });

  it.each([
    ['page', '?per=2&page=1&page=2', { page: '2' }, ['Mike']],
    ['per', '?per=1&per=2', { page: 1 }, ['Bill', 'Jack']],
    ['order_by and order', '?order_by=last_name&order_by=first_name&order=asc&order=desc', { total_count: 3 }, ['Mike', 'Jack', 'Bill']],
    ['search', '?search=Mike&search=Jack', { total_count: 1 }, ['Jack']],
    ['search, in a form body', '', { total_count: 1 }, ['Jack'], 'search=Mike&search=Jack'],
  ] as const)('takes the last value of a repeated %s, as Rails does', async (_name, query, expected, users, form?: string) => {
    const app = await makeApp();
    const response = await app.inject({
      url: `/api/v3/users${query}`,
      headers: form === undefined ? { 'x-auth-token': TOKEN } : { 'x-auth-token': TOKEN, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject(expected);
    expect(names(response.json() as UsersBody)).toEqual(users);
  });

  it('refuses a body larger than the body limit with 413', async () => {
    const app = await makeApp({ bodyLimit: 2048 });
    const response = await app.inject({
      url: '/api/v3/users',
      headers: { ...JSON_TYPE, 'x-auth-token': TOKEN },
      payload: JSON.stringify({ search: 'x'.repeat(4096) }),
    });
    expect(response.statusCode).toBe(413);
    expect((response.json() as { error: { code: number } }).error.code).toBe(413);
  });

  it('reads a form body, as `curl -d` sends without a Content-Type', async () => {
    const app = await makeApp();
    const response = await app.inject({
      url: '/api/v3/users',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-auth-token': TOKEN },
      payload: 'per=1&page=3',
    });
    expect(response.json()).toMatchObject({ page: '3', total_count: 3 });
    expect(names(response.json() as UsersBody)).toEqual(['Mike']);
  });
});

describe('Datonis users the control plane fills in', () => {
  it('are the seeded users after the generated ones: the same seed gives the same users whichever path made them, but for when they were made', async () => {
    const url = `/__mock/datonis/accounts/${CHILD_KEY}/users`;
    const filled = await makeApp({ seed: 11, users: 3 });
    expect((await filled.inject({ method: 'POST', url: `${url}/generate`, payload: { count: 2 } })).json()).toEqual({ total: 5 });
    expect((await filled.inject({ method: 'POST', url, payload: {} })).statusCode).toBe(201);
    const added = (await filled.inject({ url })).json().items as Record<string, unknown>[];
    const generatedApp = await makeApp({ seed: 11, users: 6 });
    const generated = (await generatedApp.inject({ url })).json().items as Record<string, unknown>[];
    expect(added).toHaveLength(6);
    expect(generated).toHaveLength(6);
    // generated users are created in order over six years, so how many there are places each one in time
    const untimed = (users: Record<string, unknown>[]) =>
      JSON.stringify(users.map(({ created_at: _created, confirmed_at: _confirmed, updated_at: _updated, ...fields }) => fields));
    expect(untimed(added.slice(-3))).toBe(untimed(generated.slice(-3)));
    const userKey = added[5]!.user_key as string;
    expect((await filled.inject({ url: `${url}/${userKey}` })).json()).toEqual(added[5]);
  });
});
