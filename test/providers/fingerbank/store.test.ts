import { describe, expect, it } from 'vitest';
import type { User } from '../../../src/providers/fingerbank/schemas.js';
import { FingerbankStore } from '../../../src/providers/fingerbank/store.js';
import { makeApp, manualClock, storeContext } from '../../helpers.js';
import { ADMIN_KEY, BLOCKED_KEY, BOB_KEY, allAccounts } from './accounts.js';

function store(seed = 1, users = 50, clock = manualClock()) {
  return new FingerbankStore(storeContext(seed, users, clock));
}

/** Counts one call of the account with this key, as an admitted request does. */
async function countCall(accounts: FingerbankStore, key: string) {
  return (await accounts.admitCall(accounts.stored(key)!)).account;
}

const generated = (accounts: User[]) => accounts.filter((account) => account.id >= 1000);

describe('FingerbankStore', () => {
  it('holds the documented accounts and the requested number of generated ones', async () => {
    const accounts = await allAccounts(store(1, 50));
    expect(accounts).toHaveLength(53);
    expect(accounts.slice(0, 3).map((account) => [account.id, account.name, account.key])).toEqual([
      [0, 'bob', BOB_KEY],
      [1, 'admin', ADMIN_KEY],
      [2, 'mallory', BLOCKED_KEY],
    ]);
  });

  it('generates the same accounts from the same seed, other ones from another', async () => {
    const once = JSON.stringify(await allAccounts(store(7)));
    expect(JSON.stringify(await allAccounts(store(7)))).toBe(once);
    expect(JSON.stringify(await allAccounts(store(8)))).not.toBe(once);
  });

  it('generates plausible accounts: 40-hex keys, distinct ids and names, no admin, expiry only when limited', async () => {
    const accounts = generated(await allAccounts(store(1, 400)));
    expect(new Set(accounts.map((account) => account.key)).size).toBe(400);
    expect(new Set(accounts.map((account) => account.id)).size).toBe(400);
    expect(new Set(accounts.map((account) => account.name)).size).toBe(400);
    expect(new Set(accounts.map((account) => account.level))).toEqual(new Set([0, 5, 7, 9]));
    for (const account of accounts) {
      expect(account.key).toMatch(/^[0-9a-f]{40}$/);
      expect(account.created_at <= account.updated_at).toBe(true);
      expect(account.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(account.expiration === null).toBe(account.level !== 7);
      expect(account.monthly_requests).toBeLessThanOrEqual(account.requests);
    }
  });

  it('creates, updates and deletes accounts, and reset brings back the seeded ones', async () => {
    const clock = manualClock();
    const context = storeContext(1, 2, clock);
    const accounts = new FingerbankStore(context);
    const bob = (await accounts.findByKey(BOB_KEY))!;
    const carol = { ...bob, id: 5, name: 'carol', key: 'c'.repeat(40), requests: 10 };
    expect(await accounts.create(carol)).toEqual(carol);
    await expect(accounts.create(carol)).rejects.toThrow();
    expect((await countCall(accounts, carol.key))?.requests).toBe(11);
    expect(await accounts.update(carol.key, { blocked: true, requests: 100 })).toMatchObject({ blocked: true, requests: 100 });
    expect((await countCall(accounts, carol.key))?.requests).toBe(101);
    expect(await accounts.update('missing', { blocked: true })).toBeUndefined();
    expect(await accounts.delete(BOB_KEY)).toBe(true);
    expect(await accounts.findByKey(BOB_KEY)).toBeUndefined();
    expect(await accounts.delete(BOB_KEY)).toBe(false);
    context.state.reset();
    accounts.reset();
    expect(await accounts.findByKey(carol.key)).toBeUndefined();
    expect(await accounts.findByKey(BOB_KEY)).toEqual(bob);
  });

  it('holds a created account’s figures for the current hour only', async () => {
    const clock = manualClock(Date.parse('2026-03-15T10:59:00.000Z'));
    const accounts = store(1, 0, clock);
    clock.advance(120_000);
    const dave = { ...(await accounts.findByKey(BOB_KEY))!, key: 'd'.repeat(40), timeframed_requests: 9 };
    expect((await accounts.create(dave)).timeframed_requests).toBe(9);
    clock.advance(3_600_000);
    expect((await accounts.findByKey(dave.key))?.timeframed_requests).toBe(0);
  });

  it('lists credentials to try for the documented user, the admin and the blocked account', () => {
    const credentials = store().demoCredentials();
    expect(credentials.map((credential) => credential.scheme)).toEqual(['path', 'query', 'bearer', 'bearer', 'path']);
    expect(credentials.map((credential) => credential.value)).toEqual([BOB_KEY, BOB_KEY, BOB_KEY, ADMIN_KEY, BLOCKED_KEY]);
    for (const credential of credentials) expect(credential.example).toContain('{base}/api/v2/users/account_info');
  });
});

describe('Fingerbank accounts the control plane fills in', () => {
  it('are the seeded accounts after the generated ones: the same seed gives the same accounts whichever path made them', async () => {
    const filled = await makeApp({ seed: 11, users: 3 });
    const added: unknown[] = [];
    for (let i = 0; i < 2; i++) added.push((await filled.inject({ method: 'POST', url: '/__mock/fingerbank/accounts', payload: {} })).json());
    const generated = await makeApp({ seed: 11, users: 5 });
    const accounts = (await generated.inject({ url: '/__mock/fingerbank/accounts' })).json().items as unknown[];
    expect(JSON.stringify(added)).toBe(JSON.stringify(accounts.slice(-2)));
    const key = (added[1] as { key: string }).key;
    expect((await filled.inject({ url: `/api/v2/users/account_info/${key}` })).json()).toMatchObject({ key, requests: (added[1] as User).requests + 1 });
  });
});
