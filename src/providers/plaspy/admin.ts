import { Type } from '@sinclair/typebox';
import { type ProviderAdmin, creatable, pageOf, pageOfSlices } from '../../record-admin.js';
import { userAnswer } from './routes.js';
import { UserSchema, type StoredUser } from './schemas.js';
import type { Account, PlaspyStore } from './store.js';

const AccountFields = {
  token: Type.String({ minLength: 1, maxLength: 200 }),
  label: Type.String({ maxLength: 200 }),
  apiUsage: Type.Integer({ minimum: 0 }),
  apiDailyUsage: Type.Integer({ minimum: 0 }),
};

const AccountView = Type.Object({ ...AccountFields, user_count: Type.Integer() });

async function view(store: PlaspyStore, account: Account) {
  return { token: account.token, label: account.label, ...(await store.usageOf(account)), user_count: account.users.size };
}

/** The first `plaspy-account-N` no account holds. */
function freeToken(store: PlaspyStore): string {
  let n = store.listAccounts().length + 1;
  while (store.findAccount(`plaspy-account-${n}`)) n++;
  return `plaspy-account-${n}`;
}

const UserFields = Type.Omit(UserSchema, ['password']);

/** Plaspy accounts are Bearer tokens, each holding users (by id); passwords never leave as anything but null. */
export const admin = {
  accounts: {
    idField: 'token',
    create: Type.Partial(Type.Object(AccountFields), { additionalProperties: false }),
    patch: Type.Partial(Type.Omit(Type.Object(AccountFields), ['token']), { additionalProperties: false }),
    view: AccountView,
    list: async (store, page) => {
      const listing = pageOf(store.listAccounts(), page);
      return { ...listing, items: await Promise.all((listing.items as Account[]).map((account) => view(store, account))) };
    },
    get: async (store, token) => {
      const account = store.findAccount(token);
      return account && view(store, account);
    },
    add: async (store, input) => view(store, await store.createAccount({ token: freeToken(store), ...input })),
    change: async (store, token, patch) => {
      const account = await store.updateAccount(token, patch);
      return account && view(store, account);
    },
    remove: (store, token) => store.deleteAccount(token),
  },
  users: {
    idField: 'id',
    create: creatable(UserFields),
    patch: Type.Partial(Type.Omit(UserFields, ['id']), { additionalProperties: false }),
    view: UserSchema,
    list: async (store, page, token = '') => {
      const account = store.findAccount(token);
      if (!account) return undefined;
      const listing = await pageOfSlices(account.users, page);
      return { ...listing, items: (listing.items as StoredUser[]).map(userAnswer) };
    },
    get: (store, id, token = '') => {
      const user = store.findAccount(token)?.users.get(id);
      return user && userAnswer(user);
    },
    add: (store, input, token = '') =>
      store.findAccount(token) && userAnswer(store.createUser(token, { ...store.generatedUserFields(), ...input })),
    change: (store, id, patch, token = '') => {
      const user = store.updateUser(token, id, patch);
      return user && userAnswer(user);
    },
    remove: (store, id, token = '') => store.deleteUser(token, id),
    generate: (store, count, token = '') => store.generateUsers(token, count),
  },
} satisfies ProviderAdmin<PlaspyStore>;
