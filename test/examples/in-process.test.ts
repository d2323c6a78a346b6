// docs/testing.md's in-process example, kept true: only the import differs (the package name there).
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type MockServer, redacted, startMock } from '../../src/mock.js';

let mock: MockServer;

beforeAll(async () => {
  mock = await startMock({ seed: 42, users: 10 });
});
afterAll(() => mock.close());
beforeEach(() => mock.control.reset());

it('sees the Fingerbank account through a 502 and back', async () => {
  await mock.control.addFault({ provider: 'fingerbank', status: 502, times: 1 });
  const url = `${mock.url}/api/v2/users/account_info?key=9e1808205b91362f9e3543aa4cea406e4aeedc69`;

  expect((await fetch(url)).status).toBe(502);
  const account = (await (await fetch(url)).json()) as { name: string };
  expect(account.name).toBe('bob');

  const [sent] = await mock.control.requests({ provider: 'fingerbank', limit: 1 });
  // the journal shows a secret as an identity of it, never in clear
  expect(sent?.query).toEqual({ key: redacted('9e1808205b91362f9e3543aa4cea406e4aeedc69') });

  // two calls carried the key, one was answered 502; a wrong count throws with what was received
  await mock.control.expectRequests({ provider: 'fingerbank', credential: '9e1808205b91362f9e3543aa4cea406e4aeedc69' }, 2);
  await mock.control.expectRequests({ path: '/api/v2/users/account_info', status: 502 }, 1);
});

it('creates the data a test needs', async () => {
  // the fields and the answer are typed per provider, from its schemas
  const created = await mock.control.createAccount('datafiniti', { token: 'TEST-TOKEN', plan_id: 'enterprise' });
  expect(created.available_downloads).toBeGreaterThanOrEqual(0);
  // @ts-expect-error: a field Datafiniti's accounts do not have does not compile (and is a 400)
  await expect(mock.control.createAccount('datafiniti', { plan_idd: 'enterprise' })).rejects.toMatchObject({ status: 400 });
  const response = await fetch(`${mock.url}/v3/users`, {
    headers: { authorization: `Basic ${Buffer.from('TEST-TOKEN:').toString('base64')}` },
  });
  const [account] = (await response.json()) as { plan_id: string }[];
  expect(account?.plan_id).toBe('enterprise');
});
