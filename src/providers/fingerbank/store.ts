import { readFixture, readRecordedFixture } from '../../data/fixtures.js';
import { LOWER_HEX, REFERENCE_DATE } from '../../data/generator.js';
import { MockHttpError } from '../../http/http-error.js';
import type { KeyedRecords } from '../../data/keyed-records.js';
import { SeededAccounts, type SeededAccountKind, SeededFill } from '../../data/seeded-accounts.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import type { Figures, RateDecision, RateLimit, UsagePlan, UsageState } from '../../state/state.js';
import { type Step, andThen } from '../../state/step.js';
import { ADMIN_LEVEL, type User } from './schemas.js';

const FIXTURES = 'fingerbank/accounts.json';

/** All accounts, even the unlimited ones, as the page's 429 message says. */
const REQUESTS_PER_MINUTE = 250;
const MINUTE_MS = 60_000;

/** Generated ids start here, clear of the documented ones. */
const FIRST_GENERATED_ID = 1000;
/** community, api_submitter, monthly_limited, unlimited: every level but admin. */
const GENERATED_LEVELS = [0, 5, 7, 9];
const MONTHLY_LIMITED = 7;
const DEFAULT_MONTHLY_LIMIT = 1_000_000;
const LIMITED_MONTHLY_LIMITS = [10_000, 50_000, 100_000, 500_000];
const AUTH_TYPES = ['github', 'google', 'local'];
const KEY_LENGTH = 40;
/** A generated key ends with its account's index, coded in these many hex digits. */
const INDEX_CODE_LENGTH = 10;

/** The usage figures of an account: requests this hour, this month and ever. */
const USAGE: UsagePlan = {
  scope: 'fingerbank',
  periods: { timeframed_requests: 'hour', monthly_requests: 'month', requests: 'forever' },
};
const RATE_LIMIT: RateLimit = { limit: REQUESTS_PER_MINUTE, windowMs: MINUTE_MS };

type UsageFigures = Pick<User, 'timeframed_requests' | 'monthly_requests' | 'requests'>;

/** An account's stored figures, from which its counters start. */
function seededFigures(account: User): Figures {
  return { timeframed_requests: account.timeframed_requests, monthly_requests: account.monthly_requests, requests: account.requests };
}

function withFigures(account: User, figures: Figures): User {
  return { ...account, ...(figures as UsageFigures) };
}

/** Whole seconds, as the documented timestamps are. */
function timestamp(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString();
}

const ACCOUNTS: SeededAccountKind<User> = {
  scope: 'fingerbank',
  alphabet: LOWER_HEX,
  keyLength: KEY_LENGTH,
  codeLength: INDEX_CODE_LENGTH,
  keyName: 'key',
  keyOf: (account) => account.key,
  draw(generator, index, key) {
    const person = generator.person();
    const level = generator.pick(GENERATED_LEVELS);
    const createdAt = generator.pastDate(10);
    const updatedAt = generator.dateBetween(createdAt, REFERENCE_DATE);
    const monthlyRequests = generator.int(0, 5000);
    return {
      id: FIRST_GENERATED_ID + index,
      // the index keeps user names unique however many accounts are generated
      name: `${generator.username(person).toLowerCase()}${index}`,
      display_name: `${person.firstName} ${person.lastName}`,
      level,
      created_at: timestamp(createdAt),
      updated_at: timestamp(updatedAt),
      key: key(),
      email: generator.email(person).toLowerCase(),
      blocked: false,
      search_count: generator.int(0, 5000),
      timeframed_search_count: generator.int(0, 5),
      monthly_limit: level === MONTHLY_LIMITED ? generator.pick(LIMITED_MONTHLY_LIMITS) : DEFAULT_MONTHLY_LIMIT,
      auth_type: generator.pick(AUTH_TYPES),
      roles: 'GENERAL',
      expiration: level === MONTHLY_LIMITED ? timestamp(generator.futureDate(2)) : null,
      timeframed_requests: generator.int(0, 20),
      monthly_requests: monthlyRequests,
      requests: monthlyRequests + generator.int(0, 100_000),
    };
  },
};

/** What an admitted call answers: the caller's account with its figures after the call, and its rate-limit window. */
interface AdmittedCall {
  account: User | undefined;
  rate: RateDecision;
}

/**
 * Fingerbank accounts by API key: the documented ones, then generated ones. Their usage counters and
 * per-key rate-limit windows are kept in the mock's state, and a reset clears them.
 */
export class FingerbankStore implements ProviderStore {
  private accounts!: KeyedRecords<User>;
  private seeded!: SeededAccounts<User>;
  private fill!: SeededFill;
  private readonly usage: UsageState;

  constructor(private readonly context: StoreContext) {
    this.usage = context.state.usage;
    this.reset();
  }

  reset(): void {
    // recorded accounts' counters start from their recorded figures, as the documented ones do
    const recorded = readRecordedFixture<User[]>(this.context.fixtures, FIXTURES);
    this.seeded = new SeededAccounts(ACCOUNTS, this.context.seed);
    this.accounts = this.seeded.stored([...readFixture<User[]>(FIXTURES), ...(recorded ?? [])], this.context.users);
    this.fill = new SeededFill(this.context.users);
  }

  /** The next seeded account, for a control-plane client to complete: the fields it leaves out. */
  generatedAccount(): User {
    return this.fill.next((index) => this.seeded.at(index));
  }

  /** The account with this key as stored, usage figures as seeded: the same object until it is changed. */
  stored(key: string): User | undefined {
    return this.accounts.get(key);
  }

  /** The account with this API key, its usage counters as they stand now. */
  findByKey(key: string): Step<User | undefined> {
    const account = this.accounts.get(key);
    return account && andThen(this.usage.read(USAGE, key, seededFigures(account)), (figures) => withFigures(account, figures));
  }

  get size(): number {
    return this.accounts.size;
  }

  /** Accounts from the `start`-th (from 0), at most `limit`, in order, with their usage. */
  async slice(start: number, limit: number): Promise<User[]> {
    const accounts = this.accounts.slice(start, limit);
    return Promise.all(
      accounts.map(async (account) => withFigures(account, await this.usage.read(USAGE, account.key, seededFigures(account)))),
    );
  }

  /**
   * Takes one request of the key's rate-limit window, if one is left, and counts it: in total,
   * this hour and this month. The account answers with its figures after this call.
   */
  admitCall(account: User): Step<AdmittedCall> {
    return andThen(this.usage.admit(USAGE, account.key, seededFigures(account), RATE_LIMIT), (admission) => ({
      account: admission.allowed ? withFigures(account, admission.figures) : undefined,
      rate: admission.rate!,
    }));
  }

  /** Adds an account; its usage figures hold for the current hour and month. */
  async create(account: User): Promise<User> {
    if (!this.accounts.add({ ...account })) throw new MockHttpError(409, `An account with key ${account.key} exists`);
    const figures = seededFigures(account);
    return withFigures(account, await this.usage.set(USAGE, account.key, figures, figures));
  }

  /** Changes an account's fields (never its key); usage figures given set its counters. */
  async update(key: string, changes: Partial<Omit<User, 'key'>>): Promise<User | undefined> {
    const account = this.accounts.get(key);
    if (!account) return undefined;
    const updated = { ...account, ...changes, key };
    this.accounts.replace(key, updated);
    const values: Partial<Figures> = {
      timeframed_requests: changes.timeframed_requests,
      monthly_requests: changes.monthly_requests,
      requests: changes.requests,
    };
    return withFigures(updated, await this.usage.set(USAGE, key, seededFigures(account), values));
  }

  async delete(key: string): Promise<boolean> {
    await this.usage.forget(USAGE, key);
    return this.accounts.delete(key);
  }

  demoCredentials(): DemoCredential[] {
    const fixtures = readFixture<User[]>(FIXTURES);
    const user = fixtures.find((account) => account.level < ADMIN_LEVEL && !account.blocked);
    const admin = fixtures.find((account) => account.level === ADMIN_LEVEL && !account.blocked);
    const blocked = fixtures.find((account) => account.blocked);
    const path = '{base}/api/v2/users/account_info';
    const credentials: DemoCredential[] = [];
    if (user) {
      const who = `${user.name} (${user.display_name})`;
      credentials.push(
        { label: `${who}, key in the path`, scheme: 'path', value: user.key, example: `curl ${path}/${user.key}` },
        { label: `${who}, key as ?key=`, scheme: 'query', value: user.key, example: `curl '${path}?key=${user.key}'` },
        {
          label: `${who}, Bearer key`,
          scheme: 'bearer',
          value: user.key,
          example: `curl -H 'Authorization: Bearer ${user.key}' ${path}`,
        },
      );
    }
    if (admin) {
      credentials.push({
        label: `${admin.name} (level ${ADMIN_LEVEL}, reads any account)`,
        scheme: 'bearer',
        value: admin.key,
        example: `curl -H 'Authorization: Bearer ${admin.key}' ${path}/${user?.key ?? admin.key}`,
      });
    }
    if (blocked) {
      credentials.push({
        label: `${blocked.name} (blocked: answers 403)`,
        scheme: 'path',
        value: blocked.key,
        example: `curl ${path}/${blocked.key}`,
      });
    }
    return credentials;
  }
}
