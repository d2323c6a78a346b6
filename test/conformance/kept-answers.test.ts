import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { UsersResponseSchema as DatafinitiUsers } from '../../src/providers/datafiniti/schemas.js';
import { UsersResponseSchema as DatonisUsers } from '../../src/providers/datonis/schemas.js';
import { UserSchema as FingerbankUser } from '../../src/providers/fingerbank/schemas.js';
import { UserResponseSchema as PlaspyUser, UsersResponseSchema as PlaspyUsers } from '../../src/providers/plaspy/schemas.js';
import { basic, makeApp } from '../helpers.js';

/**
 * Answers are serialized once per record and kept, with usage counters put in at each call. Each
 * answer here is checked against the route serializer's own text for the same data: a route with
 * the same response schema re-serializes the parsed answer, and the two texts must be the same
 * bytes. Strings are chosen to trip a hand-made splice: quotes, backslashes, a counter's own
 * `"name":0`, non-ASCII and control characters.
 */
const TRICKY = 'Zoë "apiUsage":0, \\ "requests":0} ☃ 🚀 \u0001 </script>';

const SCHEMAS: Record<string, TSchema> = {
  datafiniti: DatafinitiUsers,
  fingerbank: FingerbankUser,
  'plaspy-user': PlaspyUser,
  'plaspy-users': PlaspyUsers,
  datonis: DatonisUsers,
};

async function appWithSerializers(): Promise<FastifyInstance> {
  const app = await makeApp({ users: 30 });
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    app.post(`/test-serialize/${name}`, { schema: { response: { 200: schema } } }, async (request) => request.body);
  }
  return app;
}

async function expectSerializerText(app: FastifyInstance, schema: string, answer: { statusCode: number; body: string }) {
  expect(answer.statusCode).toBe(200);
  const again = await app.inject({ method: 'POST', url: `/test-serialize/${schema}`, payload: JSON.parse(answer.body) as object });
  expect(answer.body).toBe(again.body);
}

async function control(app: FastifyInstance, method: 'POST' | 'PATCH', url: string, payload: object) {
  const response = await app.inject({ method, url, payload });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json() as Record<string, unknown>;
}

describe('answers serialized at each call', () => {
  it('Datafiniti keeps no text: each answer is the serializer’s, and a change is seen at once', async () => {
    const app = await appWithSerializers();
    await control(app, 'POST', '/__mock/datafiniti/accounts', { token: 'tricky-token', first_name: TRICKY, organization: TRICKY });
    const tokens = ['AAAXXXXXXXXXXXX', 'tricky-token', (await control(app, 'POST', '/__mock/datafiniti/accounts', {})).token as string];
    for (const token of tokens) {
      for (let i = 0; i < 2; i++) await expectSerializerText(app, 'datafiniti', await app.inject({ url: '/v3/users', headers: { authorization: basic(token) } }));
    }
    await control(app, 'PATCH', '/__mock/datafiniti/accounts/tricky-token', { last_name: 'Changed' });
    const changed = await app.inject({ url: '/v3/users', headers: { authorization: basic('tricky-token') } });
    expect(changed.json()[0]).toMatchObject({ first_name: TRICKY, last_name: 'Changed' });
  });
});

describe('answers kept as text', () => {
  it('Fingerbank: counters put into the kept text are the serializer’s, call after call', async () => {
    const app = await appWithSerializers();
    const key = 'f'.repeat(40);
    await control(app, 'POST', '/__mock/fingerbank/accounts', { key, display_name: TRICKY, email: TRICKY, requests: 41 });
    let last = 0;
    for (let i = 0; i < 3; i++) {
      const answer = await app.inject({ url: `/api/v2/users/account_info?key=${key}` });
      await expectSerializerText(app, 'fingerbank', answer);
      last = answer.json().requests;
    }
    expect(last).toBe(44);
    await control(app, 'PATCH', `/__mock/fingerbank/accounts/${key}`, { name: 'changed' });
    const changed = await app.inject({ url: `/api/v2/users/account_info/${key}` });
    await expectSerializerText(app, 'fingerbank', changed);
    expect(changed.json()).toMatchObject({ name: 'changed', display_name: TRICKY, requests: 45 });
  });

  it('Plaspy: one user and the list, with the usage of each call, and changes seen at once', async () => {
    const app = await appWithSerializers();
    const url = '/__mock/plaspy/accounts/plaspy-demo-token/users';
    await control(app, 'POST', url, { id: 'usr-tricky', name: TRICKY, email: 'a@b.c', country: 'FRA', timeZone: TRICKY, tags: { [TRICKY]: TRICKY } });
    const headers = { authorization: 'Bearer plaspy-demo-token' };
    for (let i = 0; i < 2; i++) {
      await expectSerializerText(app, 'plaspy-user', await app.inject({ url: '/api/users/usr-tricky', headers }));
      await expectSerializerText(app, 'plaspy-users', await app.inject({ url: '/api/users', headers }));
    }
    await control(app, 'PATCH', `${url}/usr-tricky`, { disabled: true });
    const list = await app.inject({ url: '/api/users', headers });
    await expectSerializerText(app, 'plaspy-users', list);
    expect(list.json().users.find((user: { id: string }) => user.id === 'usr-tricky')).toMatchObject({ disabled: true });
    expect(list.json().apiUsage).toBe(154);
  });

  it('Datonis: lists of kept user texts, in both timestamp formats, as the serializer writes them', async () => {
    const app = await appWithSerializers();
    const child = 'c5d8b3e62a';
    await control(app, 'POST', `/__mock/datonis/accounts/${child}/users`, {
      user_key: 'tricky0001',
      first_name: TRICKY,
      tags: [TRICKY, 'plain'],
      user_defined_properties: { [TRICKY]: TRICKY },
    });
    const headers = { 'x-auth-token': 'Fs3kR9vLq2WmXc7pTz4NbA' };
    for (const query of ['', '?per=50', '?timestamp_format=str&per=50', '?search=zo%C3%AB', '?order_by=first_name&order=desc', '?page=2&per=7']) {
      for (let i = 0; i < 2; i++) await expectSerializerText(app, 'datonis', await app.inject({ url: `/api/v3/users${query}`, headers }));
    }
    const page = await app.inject({ url: '/api/v3/users', headers, payload: { page: '2', per: 7 } });
    await expectSerializerText(app, 'datonis', page);
    expect(page.json()).toMatchObject({ page: '2', total_count: 31 });
    await control(app, 'PATCH', `/__mock/datonis/accounts/${child}/users/tricky0001`, { last_name: 'Changed' });
    const changed = await app.inject({ url: '/api/v3/users?search=tricky0001', headers });
    expect(changed.json().users).toMatchObject([{ first_name: TRICKY, last_name: 'Changed' }]);
  });
});
