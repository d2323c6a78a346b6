import type { Faker } from '@faker-js/faker';
import { createFaker } from '../../core/faker.js';
import { MockHttpError } from '../../core/http-error.js';
import { readFixture } from '../../core/fixtures.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../core/provider.js';
import type { StoredUser } from './schemas.js';

export interface Organisation {
  organisation_key: string;
  name: string;
  /** Every token opens the same organisation (the documented examples use two). */
  tokens: string[];
  is_oem: boolean;
  child_organisation_keys: string[];
  /** The organisation that receives the generated users. */
  generated_users: boolean;
  users: StoredUser[];
}

const ROLES = [
  { role: 'admin', role_name: 'Account Admin', role_key: '67e37d7bat' },
  { role: 'normal', role_name: 'Read Only', role_key: '411a45tdc7' },
];
const TIME_ZONES = ['Mumbai', 'Kolkata', 'London', 'Berlin', 'Tokyo', 'Singapore', 'Eastern Time (US & Canada)'];

export function generateUser(faker: Faker): StoredUser {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const created = faker.date.past({ years: 6 });
  const confirmed = new Date(created.getTime() + faker.number.int({ min: 60_000, max: 86_400_000 }));
  const updated = new Date(confirmed.getTime() + faker.number.int({ min: 0, max: 90 * 86_400_000 }));
  return {
    address: faker.location.streetAddress(),
    city: faker.location.city(),
    confirmed_at: confirmed.toISOString(),
    country: faker.location.country(),
    email: faker.internet.email({ firstName, lastName }).toLowerCase(),
    first_name: firstName,
    last_name: lastName,
    phone: faker.string.numeric(10),
    ...faker.helpers.arrayElement(ROLES),
    time_zone: faker.helpers.arrayElement(TIME_ZONES),
    user_key: faker.string.alphanumeric({ length: 10, casing: 'lower' }),
    created_at: Math.floor(created.getTime() / 1000),
    updated_at: Math.floor(updated.getTime() / 1000),
  };
}

/** Datonis organisations, their tokens and users: the documented Acme account, then generated users. */
export class DatonisStore implements ProviderStore {
  private organisations = new Map<string, Organisation>();
  private byToken = new Map<string, Organisation>();
  /** Fills what a control-plane client leaves out; seeded, so runs repeat. */
  private adminFaker!: Faker;

  constructor(private readonly context: StoreContext) {
    this.reset();
  }

  reset(): void {
    this.organisations.clear();
    this.byToken.clear();
    const faker = createFaker(this.context.seed, 'datonis');
    for (const organisation of readFixture<Organisation[]>('datonis/accounts.json')) {
      if (organisation.generated_users) {
        for (let i = 0; i < this.context.users; i++) organisation.users.push(generateUser(faker));
        organisation.users.sort((a, b) => a.created_at - b.created_at);
      }
      this.index(organisation);
    }
    this.adminFaker = createFaker(this.context.seed, 'datonis/admin');
  }

  private index(organisation: Organisation): void {
    this.organisations.set(organisation.organisation_key, organisation);
    for (const token of organisation.tokens) this.byToken.set(token, organisation);
  }

  private unindex(organisation: Organisation): void {
    this.organisations.delete(organisation.organisation_key);
    for (const token of organisation.tokens) this.byToken.delete(token);
  }

  private assertFree(tokens: readonly string[], owner?: Organisation): void {
    const taken = tokens.filter((token) => {
      const holder = this.byToken.get(token);
      return holder !== undefined && holder !== owner;
    });
    if (taken.length > 0) throw new MockHttpError(409, `Token already in use: ${taken.join(', ')}`);
  }

  listOrganisations(): Organisation[] {
    return [...this.organisations.values()];
  }

  createOrganisation(input: Partial<Omit<Organisation, 'users' | 'generated_users'>>): Organisation {
    const faker = this.adminFaker;
    const organisation: Organisation = {
      organisation_key: input.organisation_key ?? faker.string.alphanumeric({ length: 10, casing: 'lower' }),
      name: input.name ?? faker.company.name(),
      tokens: input.tokens ?? [faker.string.alphanumeric(22)],
      is_oem: input.is_oem ?? false,
      child_organisation_keys: input.child_organisation_keys ?? [],
      generated_users: false,
      users: [],
    };
    if (this.organisations.has(organisation.organisation_key)) {
      throw new MockHttpError(409, `Organisation ${organisation.organisation_key} exists`);
    }
    this.assertFree(organisation.tokens);
    this.index(organisation);
    return organisation;
  }

  updateOrganisation(key: string, patch: Partial<Pick<Organisation, 'name' | 'tokens' | 'is_oem' | 'child_organisation_keys'>>): Organisation | undefined {
    const organisation = this.organisations.get(key);
    if (!organisation) return undefined;
    if (patch.tokens) this.assertFree(patch.tokens, organisation);
    this.unindex(organisation);
    Object.assign(organisation, patch);
    this.index(organisation);
    return organisation;
  }

  deleteOrganisation(key: string): boolean {
    const organisation = this.organisations.get(key);
    if (!organisation) return false;
    this.unindex(organisation);
    return true;
  }

  addUser(organisation: Organisation, input: Partial<StoredUser>): StoredUser {
    const user = { ...generateUser(this.adminFaker), created_at: Math.floor(this.context.clock() / 1000), ...input };
    if (organisation.users.some((existing) => existing.user_key === user.user_key)) {
      throw new MockHttpError(409, `User ${user.user_key} exists in organisation ${organisation.organisation_key}`);
    }
    user.updated_at = input.updated_at ?? user.created_at;
    organisation.users.push(user);
    return user;
  }

  generateUsers(organisation: Organisation, count: number): number {
    for (let i = 0; i < count; i++) organisation.users.push(generateUser(this.adminFaker));
    return organisation.users.length;
  }

  updateUser(organisation: Organisation, userKey: string, patch: Partial<StoredUser>): StoredUser | undefined {
    const index = organisation.users.findIndex((user) => user.user_key === userKey);
    const current = organisation.users[index];
    if (!current) return undefined;
    const changed = { ...current, ...patch, user_key: userKey, updated_at: patch.updated_at ?? Math.floor(this.context.clock() / 1000) };
    organisation.users[index] = changed;
    return changed;
  }

  deleteUser(organisation: Organisation, userKey: string): boolean {
    const index = organisation.users.findIndex((user) => user.user_key === userKey);
    if (index === -1) return false;
    organisation.users.splice(index, 1);
    return true;
  }

  findByToken(token: string): Organisation | undefined {
    return this.byToken.get(token);
  }

  findOrganisation(key: string): Organisation | undefined {
    return this.organisations.get(key);
  }

  demoCredentials(): DemoCredential[] {
    return [...this.organisations.values()].flatMap((organisation) =>
      organisation.tokens.map((token) => ({
        label: `${organisation.name} (${organisation.generated_users ? `${organisation.users.length} generated users` : organisation.users.map((user) => user.first_name).join(', ')})`,
        scheme: 'X-Auth-Token header',
        value: token,
        example: `curl -H "X-Auth-Token:${token}" {base}/api/v3/users`,
      })),
    );
  }
}
