import { LOWER_ALPHANUMERIC } from '../../data/generator.js';
import { MockHttpError } from '../../http/http-error.js';
import type { KeyedRecords } from '../../data/keyed-records.js';
import { SeededAccounts, type SeededAccountKind, SeededFill } from '../../data/seeded-accounts.js';
import { readFixture, readRecordedFixture } from '../../data/fixtures.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import type { User } from './schemas.js';

const PLANS = ['free', 'starter', 'basic', 'professional', 'enterprise'];
const TOKEN_LENGTH = 32;
/** A generated token ends with its account's index, coded in these many characters. */
const INDEX_CODE_LENGTH = 10;

const ACCOUNTS: SeededAccountKind<User> = {
  scope: 'datafiniti',
  alphabet: LOWER_ALPHANUMERIC,
  keyLength: TOKEN_LENGTH,
  codeLength: INDEX_CODE_LENGTH,
  keyName: 'token',
  keyOf: (account) => account.token,
  draw(generator, _index, token) {
    const person = generator.person();
    return {
      token: token(),
      organization: generator.company(),
      email: generator.email(person).toLowerCase(),
      first_name: person.firstName,
      last_name: person.lastName,
      phone_number: `${generator.digits(3)}-${generator.digits(3)}-${generator.digits(4)}`,
      plan_id: generator.pick(PLANS),
      type: 'user',
      active: 1,
      available_downloads: generator.int(0, 100) * 1000,
      date_registered: generator.pastDate(8).toISOString().slice(0, 19).replace('T', ' '),
    };
  },
};

/** Datafiniti accounts by API token: the documented one, then generated ones. */
export class DatafinitiStore implements ProviderStore {
  private accounts!: KeyedRecords<User>;
  private seeded!: SeededAccounts<User>;
  private fill!: SeededFill;

  constructor(private readonly context: StoreContext) {
    this.reset();
  }

  reset(): void {
    const recorded = readRecordedFixture<User[]>(this.context.fixtures, 'datafiniti/accounts.json');
    this.seeded = new SeededAccounts(ACCOUNTS, this.context.seed);
    this.accounts = this.seeded.stored([...readFixture<User[]>('datafiniti/accounts.json'), ...(recorded ?? [])], this.context.users);
    this.fill = new SeededFill(this.context.users);
  }

  /** Adds an account; what the client leaves out is the next seeded account's. */
  create(input: Partial<User>): User {
    const account = { ...this.fill.next((index) => this.seeded.at(index)), ...input };
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
