import { Type } from '@sinclair/typebox';
import { type ProviderAdmin, creatable, pageOfSlices } from '../../record-admin.js';
import { UserSchema, type User } from './schemas.js';
import type { DatafinitiStore } from './store.js';

/** A Datafiniti account is one user record, identified by its API token. */
export const admin = {
  accounts: {
    idField: 'token',
    create: creatable(UserSchema),
    patch: Type.Partial(Type.Omit(UserSchema, ['token']), { additionalProperties: false }),
    view: UserSchema,
    list: (store, page) => pageOfSlices(store, page),
    get: (store, token) => store.findByToken(token),
    add: (store, input) => store.create(input as Partial<User>),
    change: (store, token, patch) => store.update(token, patch as Partial<User>),
    remove: (store, token) => store.delete(token),
  },
} satisfies ProviderAdmin<DatafinitiStore>;
