import { describe, expect, it } from 'vitest';
import { makeApp, manualClock } from '../../helpers.js';
import { ADMIN_KEY, BLOCKED_KEY, BOB_KEY, DOCUMENTED_BOB, PATH } from './accounts.js';

const BOB = `${PATH}/${BOB_KEY}`;

async function usage(app: Awaited<ReturnType<typeof makeApp>>, url = BOB) {
  const body = (await app.inject({ url })).json();
  return [body.timeframed_requests, body.monthly_requests, body.requests];
}

describe('Fingerbank usage counters', () => {
  it('counts each call by the caller, the answer showing the values after counting', async () => {
    const app = await makeApp({ clock: manualClock() });
    expect(await usage(app)).toEqual([3, 126, 1512]);
    expect(await usage(app)).toEqual([4, 127, 1513]);
    expect(await usage(app, `${PATH}?key=${BOB_KEY}`)).toEqual([5, 128, 1514]);
  });

  it('starts the hourly count again each UTC hour, and the monthly one each UTC month', async () => {
    const clock = manualClock(Date.parse('2026-03-31T23:20:30.000Z'));
    const app = await makeApp({ clock });
    expect(await usage(app)).toEqual([3, 126, 1512]);
    clock.set(Date.parse('2026-03-31T23:59:59.999Z'));
    expect(await usage(app)).toEqual([4, 127, 1513]);
    clock.set(Date.parse('2026-04-01T00:00:00.000Z'));
    expect(await usage(app)).toEqual([1, 1, 1514]);
    clock.set(Date.parse('2026-04-01T01:00:00.000Z'));
    expect(await usage(app)).toEqual([1, 2, 1515]);
  });

  it('gives the documented figures only for the hour the server started in', async () => {
    const clock = manualClock(Date.parse('2026-03-15T10:59:59.000Z'));
    const app = await makeApp({ clock });
    clock.advance(2000);
    expect(await usage(app)).toEqual([1, 126, 1512]);
  });

  it('counts the caller, not the account read', async () => {
    const app = await makeApp({ clock: manualClock() });
    const bob = await app.inject({ url: `${PATH}/${BOB_KEY}?key=${ADMIN_KEY}` });
    expect(bob.json()).toMatchObject({ timeframed_requests: 2, monthly_requests: 125, requests: 1511 });
    const admin = await app.inject({ url: `${PATH}?key=${ADMIN_KEY}` });
    expect(admin.json()).toMatchObject({ timeframed_requests: 2, monthly_requests: 2, requests: 2 });
  });

  it('counts a call refused for its target, not one refused before it reached the account', async () => {
    const app = await makeApp({ clock: manualClock() });
    await app.inject({ url: `${PATH}/${ADMIN_KEY}?key=${BOB_KEY}` }); // 403: another's account
    await app.inject({ url: `${PATH}/${BOB_KEY}?key=${BOB_KEY}&key=x` }); // 401: the last key is judged
    await app.inject({ url: `${PATH}/%zz?key=${BOB_KEY}` }); // 400: a malformed URL
    await app.inject({ url: `${PATH}/${BOB_KEY}`, headers: { prefer: 'code=502' } }); // 502 before auth
    expect(await usage(app)).toEqual([4, 127, 1513]);
    await app.inject({ url: `${PATH}/${BLOCKED_KEY}` });
    const blocked = await app.inject({ url: `${PATH}/${BLOCKED_KEY}?key=${ADMIN_KEY}` });
    expect(blocked.json()).toMatchObject({ blocked: true, timeframed_requests: 0, requests: 40 });
  });

  it('keeps the search counts as they are', async () => {
    const app = await makeApp({ clock: manualClock() });
    await usage(app);
    const body = (await app.inject({ url: BOB })).json();
    expect(body.search_count).toBe(DOCUMENTED_BOB.search_count);
    expect(body.timeframed_search_count).toBe(DOCUMENTED_BOB.timeframed_search_count);
  });

  it('goes back to the documented figures on reset', async () => {
    const app = await makeApp({ clock: manualClock() });
    await usage(app);
    await usage(app);
    app.mock.reset();
    expect((await app.inject({ url: BOB })).json()).toEqual(DOCUMENTED_BOB);
  });
});
