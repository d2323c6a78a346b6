import type { Faker } from '@faker-js/faker';
import { scopeKey } from '../../data/draws.js';
import { createFaker } from '../../data/faker.js';
import { GeneratedRecords } from '../../data/generated-records.js';
import { MockHttpError } from '../../http/http-error.js';
import { IndexCodec } from '../../data/index-codec.js';
import { KeyedRecords } from '../../data/keyed-records.js';
import { readFixture, readRecordedFixture } from '../../data/fixtures.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import { type FakerLike, QuickFaker } from '../../data/quick-faker.js';
import type { User } from './schemas.js';

const PLANS = ['free', 'starter', 'basic', 'professional', 'enterprise'];
const TOKEN_LENGTH = 32;
/** A generated token ends with its account's index, coded in these many characters. */
const INDEX_CODE_LENGTH = 10;

function generateAccount(faker: FakerLike): User {
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

/**
 * The generated accounts: account `i` depends on (seed, i) alone and is built when first read. Its
 * token ends with `i` coded by `codec`, so a token finds its account without a map of all tokens.
 */
function generatedAccounts(seed: number, count: number, recorded: readonly User[] = []): KeyedRecords<User> {
  const faker = new QuickFaker(seed, 'datafiniti');
  const codec = new IndexCodec('abcdefghijklmnopqrstuvwxyz0123456789', INDEX_CODE_LENGTH, scopeKey(seed, 'datafiniti/token'));
  const prefix = TOKEN_LENGTH - INDEX_CODE_LENGTH;
  const generated = new GeneratedRecords(count, (index) => {
    const account = generateAccount(faker.at(index));
    return { ...account, token: account.token.slice(0, prefix) + codec.encode(index) };
  });
  return new KeyedRecords(
    [...readFixture<User[]>('datafiniti/accounts.json'), ...recorded],
    generated,
    (account) => account.token,
    (token) => (token.length === TOKEN_LENGTH ? codec.decode(token.slice(prefix)) : undefined),
  );
}

/** Datafiniti accounts by API token: the documented one, then generated ones. */
export class DatafinitiStore implements ProviderStore {
  private accounts!: KeyedRecords<User>;
  /** Fills the fields a control-plane client leaves out; seeded, so runs repeat. */
  private adminFaker!: Faker;

  constructor(private readonly context: StoreContext) {
    this.reset();
  }

  reset(): void {
    const recorded = readRecordedFixture<User[]>(this.context.fixtures, 'datafiniti/accounts.json');
    this.accounts = generatedAccounts(this.context.seed, this.context.users, recorded);
    this.adminFaker = createFaker(this.context.seed, 'datafiniti/admin');
  }

  create(input: Partial<User>): User {
    const account = { ...generateAccount(this.adminFaker), ...input };
    if (!this.accounts.add(account)) throw new MockHttpError(409, `An account with token ${account.token} exists`);
    return account;
  }

  update(token: string, patch: Partial<Omit<User, 'token'>>): User | undefined {
    const account = this.accounts.get(token);
    if (!account) return undefined;
    const changed = { ...account, ...patch, token };
    this.accounts.replace(token, changed);
    return changed;
  }

  delete(token: string): boolean {
    return this.accounts.delete(token);
  }

  findByToken(token: string): User | undefined {
    return this.accounts.get(token);
  }

  /** Every account, in order: for small stores and tests. */
  list(): User[] {
    return this.accounts.values();
  }

  get size(): number {
    return this.accounts.size;
  }

  /** Accounts from the `start`-th (from 0), at most `limit`, in order. */
  slice(start: number, limit: number): User[] {
    return this.accounts.slice(start, limit);
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
