import { Type } from '@sinclair/typebox';
import { type ProviderAdmin, creatable, pageOfSlices } from '../../record-admin.js';
import { UserSchema, type User } from './schemas.js';
import type { FingerbankStore } from './store.js';

/**
 * A Fingerbank account is one user, identified by its API key. Its usage figures may be set, for a
 * key near its monthly limit, say; `blocked: true` makes it answer 403.
 */
export const admin = {
  accounts: {
    idField: 'key',
    create: creatable(UserSchema),
    patch: Type.Partial(Type.Omit(UserSchema, ['key']), { additionalProperties: false }),
    view: UserSchema,
    list: (store, page) => pageOfSlices(store, page),
    get: (store, key) => store.findByKey(key),
    add: async (store, input) => store.create({ ...store.generatedAccount(), ...(input as Partial<User>) }),
    change: (store, key, patch) => store.update(key, patch as Partial<User>),
    remove: (store, key) => store.delete(key),
  },
} satisfies ProviderAdmin<FingerbankStore>;
