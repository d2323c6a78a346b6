import { GeneratedRecords } from '../../data/generated-records.js';
import { LOWER_ALPHANUMERIC, SeededGenerator } from '../../data/generator.js';
import { MockHttpError } from '../../http/http-error.js';
import type { IndexCodec } from '../../data/index-codec.js';
import { KeyedRecords } from '../../data/keyed-records.js';
import { readFixture, readRecordedFixture } from '../../data/fixtures.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import type { User } from './schemas.js';

const PLANS = ['free', 'starter', 'basic', 'professional', 'enterprise'];
const TOKEN_LENGTH = 32;
/** A generated token ends with its account's index, coded in these many characters. */
const INDEX_CODE_LENGTH = 10;
const TOKEN_PREFIX_LENGTH = TOKEN_LENGTH - INDEX_CODE_LENGTH;

/**
 * Accounts as the seed gives them: account `index` depends on (seed, index) alone, whether it is one
 * of the accounts generated at start-up or one the control plane fills in. Its token ends with the
 * index coded, so that a token finds its account without a map of all tokens.
 */
class SeededAccounts {
  private readonly generator: SeededGenerator;
  private readonly codec: IndexCodec;

  constructor(seed: number) {
    this.generator = new SeededGenerator(seed, 'datafiniti');
    this.codec = this.generator.indexCodec(LOWER_ALPHANUMERIC, INDEX_CODE_LENGTH, 'token');
  }

  at(index: number): User {
    const generator = this.generator.at(index);
    const person = generator.person();
    return {
      token: generator.token(TOKEN_PREFIX_LENGTH) + this.codec.encode(index),
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
  }

  /** The index of the account this token may be; undefined when no seeded account can have it. */
  indexOf(token: string): number | undefined {
    return token.length === TOKEN_LENGTH ? this.codec.decode(token.slice(TOKEN_PREFIX_LENGTH)) : undefined;
  }
}

/** The documented accounts, the recorded ones, then `count` generated ones, built when first read. */
function storedAccounts(seeded: SeededAccounts, count: number, recorded: readonly User[] = []): KeyedRecords<User> {
  return new KeyedRecords(
    [...readFixture<User[]>('datafiniti/accounts.json'), ...recorded],
    new GeneratedRecords(count, (index) => seeded.at(index)),
    (account) => account.token,
    (token) => seeded.indexOf(token),
  );
}

/** Datafiniti accounts by API token: the documented one, then generated ones. */
export class DatafinitiStore implements ProviderStore {
  private accounts!: KeyedRecords<User>;
  private seeded!: SeededAccounts;
  /**
   * The index of the next account the control plane fills in: the one after the generated ones, so
   * that generating n more at start-up would have given the same accounts.
   */
  private nextIndex = 0;

  constructor(private readonly context: StoreContext) {
    this.reset();
  }

  reset(): void {
    const recorded = readRecordedFixture<User[]>(this.context.fixtures, 'datafiniti/accounts.json');
    this.seeded = new SeededAccounts(this.context.seed);
    this.accounts = storedAccounts(this.seeded, this.context.users, recorded);
    this.nextIndex = this.context.users;
  }

  /** Adds an account; what the client leaves out is the next seeded account's. */
  create(input: Partial<User>): User {
    const account = { ...this.seeded.at(this.nextIndex++), ...input };
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
