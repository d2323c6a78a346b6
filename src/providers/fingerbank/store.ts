import type { Faker } from '@faker-js/faker';
import { scopeKey } from '../../data/draws.js';
import { REFERENCE_DATE, createFaker } from '../../data/faker.js';
import { readFixture } from '../../data/fixtures.js';
import { GeneratedRecords } from '../../data/generated-records.js';
import { MockHttpError } from '../../http/http-error.js';
import { IndexCodec } from '../../data/index-codec.js';
import { KeyedRecords } from '../../data/keyed-records.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import { type FakerLike, QuickFaker } from '../../data/quick-faker.js';
import type { Figures, RateDecision, RateLimit, UsagePlan, UsageState } from '../../state/state.js';
import { type Step, andThen } from '../../state/step.js';
import { ADMIN_LEVEL, type User } from './schemas.js';

const FIXTURES = 'fingerbank/accounts.json';

/** All accounts, even the unlimited ones, as the page's 429 message says. */
export const REQUESTS_PER_MINUTE = 250;
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

/** The index-th generated account; it depends only on the faker's state and the index. */
export function generateAccount(faker: FakerLike, index: number): User {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  const level = faker.helpers.arrayElement(GENERATED_LEVELS);
  const createdAt = faker.date.past({ years: 10 });
  const updatedAt = faker.date.between({ from: createdAt, to: REFERENCE_DATE });
  const monthlyRequests = faker.number.int({ min: 0, max: 5000 });
  return {
    id: FIRST_GENERATED_ID + index,
    // the index keeps user names unique however many accounts are generated
    name: `${faker.internet.username({ firstName, lastName }).toLowerCase()}${index}`,
    display_name: `${firstName} ${lastName}`,
    level,
    created_at: timestamp(createdAt),
    updated_at: timestamp(updatedAt),
    key: faker.string.hexadecimal({ length: 40, casing: 'lower', prefix: '' }),
    email: faker.internet.email({ firstName, lastName }).toLowerCase(),
    blocked: false,
    search_count: faker.number.int({ min: 0, max: 5000 }),
    timeframed_search_count: faker.number.int({ min: 0, max: 5 }),
    monthly_limit: level === MONTHLY_LIMITED ? faker.helpers.arrayElement(LIMITED_MONTHLY_LIMITS) : DEFAULT_MONTHLY_LIMIT,
    auth_type: faker.helpers.arrayElement(AUTH_TYPES),
    roles: 'GENERAL',
    expiration: level === MONTHLY_LIMITED ? timestamp(faker.date.future({ years: 2 })) : null,
    timeframed_requests: faker.number.int({ min: 0, max: 20 }),
    monthly_requests: monthlyRequests,
    requests: monthlyRequests + faker.number.int({ min: 0, max: 100_000 }),
  };
}

/**
 * The documented accounts, then the generated ones: account `i` depends on (seed, i) alone and is
 * built when first read; its key ends with `i` coded by `codec`, so a key finds its account without
 * a map of all keys.
 */
function seededAccounts(seed: number, count: number): KeyedRecords<User> {
  const faker = new QuickFaker(seed, 'fingerbank');
  const codec = new IndexCodec('0123456789abcdef', INDEX_CODE_LENGTH, scopeKey(seed, 'fingerbank/key'));
  const prefix = KEY_LENGTH - INDEX_CODE_LENGTH;
  const generated = new GeneratedRecords(count, (index) => {
    const account = generateAccount(faker.at(index), index);
    return { ...account, key: account.key.slice(0, prefix) + codec.encode(index) };
  });
  return new KeyedRecords(
    readFixture<User[]>(FIXTURES),
    generated,
    (account) => account.key,
    (key) => (key.length === KEY_LENGTH ? codec.decode(key.slice(prefix)) : undefined),
  );
}

/** What an admitted call answers: the caller's account with its figures after the call, and its rate-limit window. */
export interface AdmittedCall {
  account: User | undefined;
  rate: RateDecision;
}

/**
 * Fingerbank accounts by API key: the documented ones, then generated ones. Their usage counters and
 * per-key rate-limit windows are kept in the mock's state, and a reset clears them.
 */
export class FingerbankStore implements ProviderStore {
  private accounts!: KeyedRecords<User>;
  /** Fills what a control-plane client leaves out; seeded, so runs repeat. */
  private adminFaker!: Faker;
  private readonly usage: UsageState;

  constructor(private readonly context: StoreContext) {
    this.usage = context.state.usage;
    this.reset();
  }

  reset(): void {
    this.accounts = seededAccounts(this.context.seed, this.context.users);
    this.adminFaker = createFaker(this.context.seed, 'fingerbank/admin');
  }

  /** A generated account for a control-plane client to complete: the fields it leaves out. */
  generatedAccount(): User {
    return generateAccount(this.adminFaker, this.accounts.size);
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
