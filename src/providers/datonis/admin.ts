import { Type } from '@sinclair/typebox';
import { type ProviderAdmin, creatable, pageOf, pageOfSlices } from '../../record-admin.js';
import { StoredUserSchema, type StoredUser } from './schemas.js';
import { type DatonisStore, type Organisation, userCount, usersOf } from './store.js';

const OrganisationFields = {
  organisation_key: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  tokens: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 20 }),
  is_oem: Type.Boolean(),
  child_organisation_keys: Type.Array(Type.String({ minLength: 1 }), { maxItems: 1000 }),
};

/** A time the str format can show: years 1 to 9999 (9,000,000,000,000 was stored, then every page holding it was a 500). */
const EpochSeconds = Type.Integer({ minimum: -62_135_596_800, maximum: 253_402_300_799, description: 'Epoch seconds, years 1 to 9999' });
const AdminUserSchema = Type.Object({ ...StoredUserSchema.properties, created_at: EpochSeconds, updated_at: EpochSeconds });

const OrganisationView = Type.Object({ ...OrganisationFields, user_count: Type.Integer() });

function view(organisation: Organisation) {
  const { users: _users, generated: _generated, generated_users: _receives, ...fields } = organisation;
  return { ...fields, user_count: userCount(organisation) };
}

function inside<T>(store: DatonisStore, key: string | undefined, act: (organisation: Organisation) => T): T | undefined {
  const organisation = key === undefined ? undefined : store.findOrganisation(key);
  return organisation ? act(organisation) : undefined;
}

/** Datonis accounts are organisations (by organisation_key), each holding users (by user_key). */
export const admin = {
  accounts: {
    idField: 'organisation_key',
    create: Type.Partial(Type.Object(OrganisationFields), { additionalProperties: false }),
    patch: Type.Partial(Type.Omit(Type.Object(OrganisationFields), ['organisation_key']), { additionalProperties: false }),
    view: OrganisationView,
    list: (store, page) => {
      const listing = pageOf(store.listOrganisations(), page);
      return { ...listing, items: (listing.items as Organisation[]).map(view) };
    },
    get: (store, key) => inside(store, key, view),
    add: (store, input) => view(store.createOrganisation(input as Partial<Organisation>)),
    change: (store, key, patch) => {
      const changed = store.updateOrganisation(key, patch as Partial<Organisation>);
      return changed && view(changed);
    },
    remove: (store, key) => store.deleteOrganisation(key),
  },
  users: {
    idField: 'user_key',
    create: creatable(AdminUserSchema),
    patch: Type.Partial(Type.Omit(AdminUserSchema, ['user_key']), { additionalProperties: false }),
    view: StoredUserSchema,
    list: (store, page, key) => inside(store, key, (organisation) => pageOfSlices(usersOf(organisation), page)),
    get: (store, userKey, key) => inside(store, key, (organisation) => store.findUser(organisation, userKey)),
    add: (store, input, key) => inside(store, key, (organisation) => store.addUser(organisation, input as Partial<StoredUser>)),
    change: (store, userKey, patch, key) =>
      inside(store, key, (organisation) => store.updateUser(organisation, userKey, patch as Partial<StoredUser>)),
    remove: (store, userKey, key) => inside(store, key, (organisation) => store.deleteUser(organisation, userKey)),
    generate: (store, count, key) => inside(store, key, (organisation) => store.generateUsers(organisation, count)),
  },
} satisfies ProviderAdmin<DatonisStore>;
