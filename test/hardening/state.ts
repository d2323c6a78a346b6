import type { FastifyInstance } from 'fastify';
import { providers } from '../../src/providers.js';
import type { PlaspyStore } from '../../src/providers/plaspy/store.js';

const EVERYTHING = { page: 1, per: Number.MAX_SAFE_INTEGER };

/** One record as the control plane shows it, keyed by provider, account and (for users) user. */
export type State = Map<string, string>;

/**
 * Every account and user of every provider, with their usage counters, as the control plane's
 * neutral interface shows them; and the Plaspy bucket where calls without a valid token count.
 */
export async function snapshot(app: FastifyInstance): Promise<State> {
  const state: State = new Map();
  for (const provider of providers) {
    const store = app.mock.storeOf(provider.slug);
    const admin = provider.admin!;
    for (const account of (await admin.accounts.list(store, EVERYTHING))!.items as Record<string, unknown>[]) {
      const id = String(account[admin.accounts.idField]);
      state.set(`${provider.slug}/${id}`, JSON.stringify(account));
      for (const user of ((await admin.users?.list(store, EVERYTHING, id))?.items ?? []) as Record<string, unknown>[]) {
        state.set(`${provider.slug}/${id}/${String(user[admin.users!.idField])}`, JSON.stringify(user));
      }
    }
  }
  const anonymous = await (app.mock.storeOf('plaspy') as PlaspyStore).usageOf(undefined);
  state.set('plaspy/(anonymous)', JSON.stringify(anonymous));
  return state;
}

/** The keys whose record differs between two snapshots, or exists in only one. */
export function changedKeys(before: State, after: State): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key)).sort();
}

/** The numeric fields of a record that differ, each with its change: `{ requests: 1 }`. */
export function numericDelta(before: string | undefined, after: string | undefined): Record<string, number> | undefined {
  if (before === undefined || after === undefined) return undefined;
  const a = JSON.parse(before) as Record<string, unknown>;
  const b = JSON.parse(after) as Record<string, unknown>;
  const delta: Record<string, number> = {};
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[key] === b[key]) continue;
    if (typeof a[key] !== 'number' || typeof b[key] !== 'number') return undefined;
    delta[key] = (b[key] as number) - (a[key] as number);
  }
  return delta;
}
