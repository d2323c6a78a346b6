import type { Faker } from '@faker-js/faker';
import { createFaker } from '../../core/faker.js';
import { MockHttpError } from '../../core/http-error.js';
import { readFixture } from '../../core/fixtures.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../core/provider.js';
import type { User } from './schemas.js';

const PLANS = ['free', 'starter', 'basic', 'professional', 'enterprise'];

function generateAccount(faker: Faker): User {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    token: faker.string.alphanumeric({ length: 32, casing: 'lower' }),
    organization: faker.company.name(),
    email: faker.internet.email({ firstName, lastName }).toLowerCase(),
    first_name: firstName,
    last_name: lastName,
    phone_number: faker.string.numeric(3) + '-' + faker.string.numeric(3) + '-' + faker.string.numeric(4),
    plan_id: faker.helpers.arrayElement(PLANS),
    type: 'user',
    active: 1,
    available_downloads: faker.number.int({ min: 0, max: 100 }) * 1000,
    date_registered: faker.date.past({ years: 8 }).toISOString().slice(0, 19).replace('T', ' '),
  };
}

/** Datafiniti accounts by API token: the documented one, then generated ones. */
export class DatafinitiStore implements ProviderStore {
  private accounts = new Map<string, User>();
  /** Fills the fields a control-plane client leaves out; seeded, so runs repeat. */
  private adminFaker!: Faker;

  constructor(private readonly context: StoreContext) {
    this.reset();
  }

  reset(): void {
    this.accounts.clear();
    for (const account of readFixture<User[]>('datafiniti/accounts.json')) {
      this.accounts.set(account.token, account);
    }
    const faker = createFaker(this.context.seed, 'datafiniti');
    for (let i = 0; i < this.context.users; i++) {
      const account = generateAccount(faker);
      this.accounts.set(account.token, account);
    }
    this.adminFaker = createFaker(this.context.seed, 'datafiniti/admin');
  }

  create(input: Partial<User>): User {
    const account = { ...generateAccount(this.adminFaker), ...input };
    if (this.accounts.has(account.token)) throw new MockHttpError(409, `An account with token ${account.token} exists`);
    this.accounts.set(account.token, account);
    return account;
  }

  update(token: string, patch: Partial<Omit<User, 'token'>>): User | undefined {
    const account = this.accounts.get(token);
    if (!account) return undefined;
    const changed = { ...account, ...patch, token };
    this.accounts.set(token, changed);
    return changed;
  }

  delete(token: string): boolean {
    return this.accounts.delete(token);
  }

  findByToken(token: string): User | undefined {
    return this.accounts.get(token);
  }

  list(): User[] {
    return [...this.accounts.values()];
  }

  demoCredentials(): DemoCredential[] {
    const [first] = readFixture<User[]>('datafiniti/accounts.json');
    if (!first) return [];
    return [
      {
        label: `${first.organization} (${first.first_name} ${first.last_name})`,
        scheme: 'basic (token as user name, empty password)',
        value: first.token,
        example: `curl --user ${first.token}: {base}/v3/users`,
      },
    ];
  }
}
