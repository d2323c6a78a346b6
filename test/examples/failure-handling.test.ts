// docs/testing.md's example of faults, kept true: only the import differs (the package name there).
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { type MockServer, startMock } from '../../src/mock.js';

let mock: MockServer;

// the mock's time starts frozen at this instant: every run sees the same windows and counters
beforeAll(async () => {
  mock = await startMock({ clock: '2026-03-15T10:00:00Z' });
});
afterAll(() => mock.close());
beforeEach(() => mock.control.reset());

const KEY = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
const accountInfo = () => `${mock.url}/api/v2/users/account_info?key=${KEY}`;

/** The client under test: retries a 502 and waits out a 429 as Retry-After asks, with the sleep it is given. */
async function get(url: string, sleep: (seconds: number) => Promise<unknown>, attempts = 3): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    if (attempt === attempts || (response.status !== 502 && response.status !== 429)) return response;
    await response.arrayBuffer();
    if (response.status === 429) await sleep(Number(response.headers.get('retry-after')));
  }
}
const noSleep = async () => {};

it('retries a 502', async () => {
  await mock.control.addFault({ provider: 'fingerbank', sequence: [{ status: 502 }, { status: 502 }, { pass: true }] });
  const response = await get(accountInfo(), noSleep);
  expect(response.status).toBe(200);
  expect(await mock.control.faults()).toEqual([]); // each step was taken once
});

it('backs off on a 429 for as long as Retry-After says, on the mock’s clock', async () => {
  for (let i = 0; i < 250; i++) await (await fetch(accountInfo())).arrayBuffer(); // the key's 250 calls a minute
  const slept: number[] = [];
  const sleepOnMockClock = async (seconds: number) => {
    slept.push(seconds);
    await mock.control.moveClock({ advanceMs: seconds * 1000 }); // a minute passes at once
  };
  const response = await get(accountInfo(), sleepOnMockClock);
  expect(response.status).toBe(200);
  expect(slept).toEqual([60]);
});

it('gives up on a server that never answers, and the next call is answered', async () => {
  await mock.control.addFault({ provider: 'fingerbank', connection: 'hang', times: 1 });
  await expect(fetch(accountInfo(), { signal: AbortSignal.timeout(200) })).rejects.toMatchObject({ name: 'TimeoutError' });
  expect((await fetch(accountInfo())).status).toBe(200);
});
