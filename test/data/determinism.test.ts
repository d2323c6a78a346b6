import { describe, expect, it, vi } from 'vitest';
import type { buildApp } from '../../src/app.js';
import { providers } from '../../src/providers.js';

const EVERYTHING = { page: 1, per: Number.MAX_SAFE_INTEGER };
const USERS = 40;

interface Snapshot {
  accounts: Record<string, unknown>[];
  users: ({ items: unknown[] } | undefined)[];
  credentials: unknown[];
}

/**
 * Every account and user of every provider, as the control plane shows them, from a build of its
 * own: the modules are loaded afresh, so that nothing one build kept (a cache, a seeded draw) can
 * make the other's bytes the same.
 */
async function freshSnapshot(seed: number, users = USERS): Promise<string> {
  vi.resetModules();
  const { buildApp: build } = (await import('../../src/app.js')) as { buildApp: typeof buildApp };
  const { providers: list } = (await import('../../src/providers.js')) as { providers: typeof providers };
  const app = await build({ seed, users });
  const state = await Promise.all(
    list.map(async (provider) => {
      const store = app.mock.storeOf(provider.slug);
      const admin = provider.admin!;
      const accounts = (await admin.accounts.list(store, EVERYTHING))!.items as Record<string, string>[];
      const users = await Promise.all(accounts.map((account) => admin.users?.list(store, EVERYTHING, account[admin.accounts.idField])));
      return JSON.stringify({ accounts, users, credentials: store.demoCredentials() } satisfies Snapshot);
    }),
  );
  await app.close();
  return state.join('\n');
}

/** How many records (accounts and the users in them) each provider holds. */
function recordCounts(snapshot: string): number[] {
  return snapshot.split('\n').map((line) => {
    const { accounts, users } = JSON.parse(line) as Snapshot;
    return accounts.length + users.reduce((sum, listing) => sum + (listing?.items.length ?? 0), 0);
  });
}

describe('generated data', () => {
  it('every provider lets the control plane list its accounts', () => {
    expect(providers.filter((provider) => !provider.admin)).toEqual([]);
  });

  it('is byte-identical for the same seed, across two builds that share no module', async () => {
    const first = await freshSnapshot(7);
    const second = await freshSnapshot(7);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('differs for another seed, and holds the generated records beside the fixtures', async () => {
    const seven = await freshSnapshot(7);
    expect(seven).not.toBe(await freshSnapshot(8));
    const fixturesOnly = recordCounts(await freshSnapshot(7, 0));
    recordCounts(seven).forEach((count, index) => expect(count, providers[index]!.slug).toBeGreaterThanOrEqual(fixturesOnly[index]! + USERS));
  });
});
