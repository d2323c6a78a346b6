import type { Provider, ProviderStore } from '../provider.js';
import type { Change } from '../state/redis/change-log.js';

/** Applies a control-plane record change to this process's stores, as the record routes would. */
export async function applyChange(
  change: Change,
  providers: readonly Provider[],
  stores: ReadonlyMap<string, ProviderStore>,
): Promise<unknown> {
  const admin = providers.find((provider) => provider.slug === change.provider)?.admin?.[change.kind];
  const store = stores.get(change.provider);
  if (!admin || !store) throw new Error(`no ${change.kind} of '${change.provider}' to change`);
  switch (change.op) {
    case 'add':
      return admin.add(store, change.input ?? {}, change.parent);
    case 'change':
      return admin.change(store, change.id ?? '', change.input ?? {}, change.parent);
    case 'remove':
      return admin.remove(store, change.id ?? '', change.parent);
    case 'generate':
      return admin.generate?.(store, Number(change.input?.count ?? 0), change.parent);
  }
}
