import { describe, expect, it } from 'vitest';
import { SeededGenerator } from '../../../src/data/generator.js';
import { PlaspyStore, generateUser } from '../../../src/providers/plaspy/store.js';
import { storeContext } from '../../helpers.js';

const DEMO = 'plaspy-demo-token';
const ANA = { name: 'Ana Ruiz', email: 'ana@example.com', country: 'COL', timeZone: 'America/Bogota' };

function makeStore(users = 3, seed = 1, context = storeContext(seed, users)) {
  return new PlaspyStore(context);
}

describe('PlaspyStore', () => {
  it('holds the documented account and one generated account with the generated users', async () => {
    const store = makeStore(4);
    const [demo, generated, ...others] = store.listAccounts();
    expect(others).toEqual([]);
    expect(store.listUsers(demo!.token).map((user) => user.id)).toEqual(['usr-12345']);
    expect(await store.usageOf(demo)).toEqual({ apiUsage: 149, apiDailyUsage: 14 });
    expect(store.listUsers(generated!.token)).toHaveLength(4);
    expect(await store.usageOf(undefined)).toEqual({ apiUsage: 149, apiDailyUsage: 14 });
  });

  it('looks a user up by exact id, then as usr-<id>, within one account only', () => {
    const store = makeStore(1);
    expect(store.lookupUser(DEMO, '12345')?.id).toBe('usr-12345');
    expect(store.lookupUser(DEMO, 'usr-12345')?.id).toBe('usr-12345');
    expect(store.lookupUser(DEMO, '99999')).toBeUndefined();
    expect(store.lookupUser(DEMO, 'usr-100000')).toBeUndefined();
    expect(store.lookupUser('no-such-token', '12345')).toBeUndefined();
  });

  it('creates, updates and deletes accounts', async () => {
    const store = makeStore(0);
    const account = await store.createAccount({ token: 'tok-1', label: 'Fleet', apiUsage: 10, users: [ANA] });
    expect(store.findAccount('tok-1')).toBe(account);
    expect(await store.usageOf(account)).toEqual({ apiUsage: 10, apiDailyUsage: 0 });
    await expect(store.createAccount({ token: 'tok-1' })).rejects.toThrow(/exists/);
    await store.updateAccount('tok-1', { label: 'Fleet 2', apiDailyUsage: 3 });
    expect(account.label).toBe('Fleet 2');
    expect(await store.usageOf(account)).toEqual({ apiUsage: 10, apiDailyUsage: 3 });
    expect(await store.updateAccount('missing', { label: 'x' })).toBeUndefined();
    expect(await store.deleteAccount('tok-1')).toBe(true);
    expect(store.findAccount('tok-1')).toBeUndefined();
    expect(await store.deleteAccount('tok-1')).toBe(false);
  });

  it('creates users with defaults, refuses a duplicate id, updates and deletes them', () => {
    const store = makeStore(0);
    const created = store.createUser(DEMO, ANA);
    expect(created).toMatchObject({ ...ANA, disabled: false, message: null, password: null, privileges: [] });
    expect(created.creation).toBe('2026-03-15T10:20:30Z');
    expect(() => store.createUser(DEMO, { ...ANA, id: 'usr-12345' })).toThrow(/already/);
    expect(() => store.createUser('missing', ANA)).toThrow(/no account/);
    expect(store.updateUser(DEMO, created.id, { disabled: true })?.disabled).toBe(true);
    expect(store.updateUser(DEMO, 'missing', { disabled: true })).toBeUndefined();
    expect(store.deleteUser(DEMO, created.id)).toBe(true);
    expect(store.listUsers(DEMO).map((user) => user.id)).toEqual(['usr-12345']);
  });

  it('goes back to the fixtures and the same generated data on reset', async () => {
    const context = storeContext(1, 3);
    const store = makeStore(3, 1, context);
    const before = JSON.stringify(store.listAccounts().map((account) => store.listUsers(account.token)));
    store.createUser(DEMO, ANA);
    store.deleteUser(DEMO, 'usr-12345');
    await store.countCall(store.findAccount(DEMO));
    await store.countCall(undefined);
    await store.createAccount({ token: 'extra' });
    context.state.reset();
    store.reset();
    expect(JSON.stringify(store.listAccounts().map((account) => store.listUsers(account.token)))).toBe(before);
    expect(await store.usageOf(store.findAccount(DEMO))).toEqual({ apiUsage: 149, apiDailyUsage: 14 });
    expect(await store.usageOf(undefined)).toEqual({ apiUsage: 149, apiDailyUsage: 14 });
    expect(store.findAccount('extra')).toBeUndefined();
  });
});

describe('generateUser', () => {
  it('gives ids from the index alone, never the documented one', () => {
    const generator = new SeededGenerator(1, 'plaspy');
    const ids = [0, 1, 2345, 12345, 999_999].map((index) => generateUser(generator, index).id);
    expect(ids).toEqual(['usr-100000', 'usr-100001', 'usr-102345', 'usr-112345', 'usr-1099999']);
  });

  it('fills every documented field, password null', () => {
    const user = generateUser(new SeededGenerator(1, 'plaspy'), 0);
    expect(user.password).toBeNull();
    expect(user.privileges.length).toBeGreaterThan(0);
    expect(user.creation).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(user.disabledMessage === null).toBe(!user.disabled);
  });
});
