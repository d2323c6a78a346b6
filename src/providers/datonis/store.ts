import type { Faker } from '@faker-js/faker';
import { createFaker } from '../../core/faker.js';
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
      this.add(organisation);
    }
  }

  add(organisation: Organisation): void {
    this.organisations.set(organisation.organisation_key, organisation);
    for (const token of organisation.tokens) this.byToken.set(token, organisation);
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
