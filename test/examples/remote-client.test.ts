// docs/testing.md's "A mock running elsewhere", kept true: the setup above the example stands in
// for a mock in a container, started with an admin token; the example differs only by its import.
import { afterAll, expect, it, vi } from 'vitest';
import { startMock } from '../../src/mock.js';

const elsewhere = await startMock({ adminToken: 'ci-admin-token' });
vi.stubEnv('MOCK_URL', elsewhere.url);
vi.stubEnv('MOCK_ADMIN_TOKEN', 'ci-admin-token');
afterAll(async () => {
  vi.unstubAllEnvs();
  await elsewhere.close();
});

import { ControlClient } from '../../src/mock.js';

const control = new ControlClient(process.env.MOCK_URL ?? 'http://127.0.0.1:4010', process.env.MOCK_ADMIN_TOKEN);
await control.reset();
await control.addFault({ provider: 'plaspy', status: 503, times: 1 });

it('sets a fault on the mock running elsewhere, with its admin token', async () => {
  const answer = await fetch(`${elsewhere.url}/api/users`, { headers: { authorization: 'Bearer plaspy-demo-token' } });
  expect(answer.status).toBe(503);
  expect(await control.faults()).toEqual([]);
});

it('is refused without the admin token, with the status and body the mock answered', async () => {
  await expect(new ControlClient(elsewhere.url).reset()).rejects.toMatchObject({ name: 'ControlError', status: 401 });
});
