import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { providers } from '../../src/providers.js';

const EVERYTHING = { page: 1, per: Number.MAX_SAFE_INTEGER };

/** Every account and user of every provider, as the control plane shows them. */
async function snapshot(seed: number): Promise<string> {
  const app = await buildApp({ seed, users: 40 });
  const state = await Promise.all(providers.map(async (provider) => {
    const store = app.mock.storeOf(provider.slug);
    const admin = provider.admin!;
    const accounts = (await admin.accounts.list(store, EVERYTHING))!.items as Record<string, string>[];
    const users = await Promise.all(accounts.map((account) => admin.users?.list(store, EVERYTHING, account[admin.accounts.idField])));
    return JSON.stringify({ accounts, users, credentials: store.demoCredentials() });
  }));
  await app.close();
  return state.join('\n');
}

describe('generated data', () => {
  it('every provider lets the control plane list its accounts', () => {
    expect(providers.filter((provider) => !provider.admin)).toEqual([]);
  });

  it('is byte-identical for the same seed', async () => {
    expect(await snapshot(7)).toBe(await snapshot(7));
  });

  it('differs for another seed, and holds the generated records', async () => {
    const seven = await snapshot(7);
    expect(seven).not.toBe(await snapshot(8));
    expect(seven.length).toBeGreaterThan(4 * 40 * 200);
  });
});
