import { describe, expect, it } from 'vitest';
import { makeApp } from '../../helpers.js';

/** The requests a client of the Datonis page sends, and the ones real clients get wrong, with what Rails would answer. */
const TOKEN = 'WtUFnj8pvSxVnH9e_xkq7A';
const AUTH = { 'x-auth-token': TOKEN };
const JSON_TYPE = { ...AUTH, 'content-type': 'application/json' };
/** What curl sends with -d and no -H Content-Type. */
const CURL_FORM = { ...AUTH, 'content-type': 'application/x-www-form-urlencoded' };

interface UsersBody {
  total_count: number;
  page: number | string;
  users: Record<string, unknown>[];
}

async function get(url: string, headers: Record<string, string> = AUTH, payload?: string) {
  const app = await makeApp({ users: 0 });
  const response = await app.inject({ method: 'GET', url, headers, payload });
  return { status: response.statusCode, body: response.json() as UsersBody & { error?: { message: string } } };
}

const names = (body: UsersBody) => body.users.map((user) => user.first_name);

describe('Datonis parameters, probed as clients send them', () => {
  it.each(['{"page":true}', '{"page":["2"]}', '{"page":[2]}', '{"per":true}', '{"per":[2]}'])(
    'a typed body %s is a 400 naming the parameter, not a 500 or a coerced value',
    async (payload) => {
      const { status, body } = await get('/api/v3/users', JSON_TYPE, payload);
      expect(status).toBe(400);
      expect(body.error?.message).toMatch(/^Invalid parameter '(page|per)': must be an integer, in decimal digits$/);
    },
  );

  it.each([
    ['pretty', '?pretty=1', '{"pretty":1}'],
    ['is_oem', '?is_oem=1&child_organisation_key=c5d8b3e62a', '{"is_oem":1,"child_organisation_key":"c5d8b3e62a"}'],
  ])('%s=1 is refused alike in the query string and in the body', async (name, query, payload) => {
    const fromQuery = await get(`/api/v3/users${query}`);
    const fromBody = await get('/api/v3/users', JSON_TYPE, payload);
    expect([fromQuery.status, fromBody.status]).toEqual([400, 400]);
    expect(fromQuery.body).toEqual(fromBody.body);
    expect(fromBody.body.error?.message).toBe(`Invalid parameter '${name}': must be a boolean: true or false`);
  });

  it('takes the query string’s search over the body’s, as Rails merges them', async () => {
    const { body } = await get('/api/v3/users?search=Mike', JSON_TYPE, '{"search":"Jack"}');
    expect(names(body)).toEqual(['Mike']);
  });

  it('reads the documented JSON body sent without its Content-Type (a form to curl) as one form key: page 1, all 3 users', async () => {
    const { status, body } = await get('/api/v3/users', CURL_FORM, '{"per":"2", "page":"2"}');
    expect(status).toBe(200);
    expect(body.page).toBe(1);
    expect(names(body)).toEqual(['Bill', 'Jack', 'Mike']);
  });

  it('reads nothing from a text/plain body', async () => {
    const { body } = await get('/api/v3/users', { ...AUTH, 'content-type': 'text/plain' }, '{"per":"2", "page":"2"}');
    expect(body.page).toBe(1);
    expect(body.users).toHaveLength(3);
  });

  it('reads a form body: per=2&page=2 is page "2" with Mike', async () => {
    const { body } = await get('/api/v3/users', CURL_FORM, 'per=2&page=2');
    expect(body.page).toBe('2');
    expect(names(body)).toEqual(['Mike']);
  });

  it('reads a form’s field_list[] keys as one list', async () => {
    const { body } = await get('/api/v3/users', CURL_FORM, 'field_list[]=first_name&field_list[]=city&per=1');
    expect(body.users).toEqual([{ city: 'Pune', first_name: 'Bill' }]);
  });

  it('takes a JSON array body as the parameter _json: the default page', async () => {
    const { status, body } = await get('/api/v3/users', JSON_TYPE, '[{"page":2}]');
    expect(status).toBe(200);
    expect(body.page).toBe(1);
  });

  it.each(['[]', '""', 'null'])('answers every field for an empty field_list %s', async (list) => {
    const { status, body } = await get('/api/v3/users', JSON_TYPE, `{"field_list":${list},"per":1}`);
    expect(status).toBe(200);
    expect(Object.keys(body.users[0]!)).toContain('user_key');
    expect(Object.keys(body.users[0]!).length).toBeGreaterThan(10);
  });

  it('takes field_list with more than 100 names: the page sets no limit', async () => {
    const list = Array.from({ length: 150 }, () => 'first_name');
    const { status, body } = await get('/api/v3/users', JSON_TYPE, JSON.stringify({ field_list: list, per: 1 }));
    expect(status).toBe(200);
    expect(body.users).toEqual([{ first_name: 'Bill' }]);
  });

  it('orders by order=DESC as by desc, as Rails reads the direction', async () => {
    const upper = await get('/api/v3/users?order_by=first_name&order=DESC');
    expect(names(upper.body)).toEqual(['Mike', 'Jack', 'Bill']);
  });

  it('serves /api/v3/users.json as /api/v3/users', async () => {
    const { status, body } = await get('/api/v3/users.json?per=1');
    expect(status).toBe(200);
    expect(names(body)).toEqual(['Bill']);
  });

  it.each([
    ['page=0', '?page=0', 'page'],
    ['per=0', '?per=0', 'per'],
    ['an empty order_by', '?order_by=', 'order_by'],
  ])('keeps %s a 400, as the OpenAPI document declares', async (_name, query, parameter) => {
    const { status, body } = await get(`/api/v3/users${query}`);
    expect(status).toBe(400);
    expect(body.error?.message).toContain(`'${parameter}'`);
  });
});

describe('the Datonis OpenAPI document', () => {
  it('declares the defaults as schema defaults, no invented maxItems, and the GET body as an optional requestBody', async () => {
    const app = await makeApp();
    await app.ready();
    const operation = (app.swagger() as { paths: Record<string, { get: Record<string, unknown> }> }).paths['/api/v3/users']!.get;
    const parameters = Object.fromEntries((operation.parameters as { name: string; schema: Record<string, unknown> }[]).map((p) => [p.name, p.schema]));
    expect([parameters.page?.default, parameters.per?.default, parameters.order?.default, parameters.scope?.default, parameters.timestamp_format?.default, parameters.pretty?.default]).toEqual([1, 20, 'asc', 'all', 'int', false]);
    expect(parameters.field_list).not.toHaveProperty('maxItems');
    const requestBody = operation.requestBody as { required: boolean; content: Record<string, unknown> };
    expect(requestBody.required).toBe(false);
    expect(Object.keys(requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
  });
});
