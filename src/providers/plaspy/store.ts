import { SeededFill } from '../../data/seeded-accounts.js';
import { readFixture, readRecordedFixture } from '../../data/fixtures.js';
import { GeneratedRecords } from '../../data/generated-records.js';
import { REFERENCE_DATE, SeededGenerator } from '../../data/generator.js';
import { MockHttpError } from '../../http/http-error.js';
import { KeyedRecords } from '../../data/keyed-records.js';
import type { UsagePlan, UsageState } from '../../state/state.js';
import { type Step, andThen } from '../../state/step.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import type { StoredUser, Usage } from './schemas.js';

interface AccountFixture extends Usage {
  token: string;
  label: string;
  users: StoredUser[];
}

interface AccountsFixture {
  /** Where unauthenticated calls are counted, since they belong to no account. */
  anonymousUsage: Usage;
  accounts: AccountFixture[];
}

/** apiUsage counts every call ever made; apiDailyUsage starts again at each UTC midnight. */
const USAGE: UsagePlan = { scope: 'plaspy', periods: { apiUsage: 'forever', apiDailyUsage: 'day' } };
/** The key of the anonymous calls' counters: no token is empty. */
const ANONYMOUS = '';

export interface Account {
  token: string;
  label: string;
  /** The usage figures its counters start from. */
  seeded: Usage;
  /** By id, in the order they were added (the generated account's are built when first read). */
  users: KeyedRecords<StoredUser>;
}

interface AccountInput {
  token: string;
  label?: string;
  apiUsage?: number;
  apiDailyUsage?: number;
  users?: UserInput[];
}

/** What a new user needs: the fields the pages mark as required; the rest gets defaults. */
type UserInput = Pick<StoredUser, 'name' | 'email' | 'country' | 'timeZone'> & Partial<StoredUser>;

const ROLES = ['admin', 'operator', 'viewer', 'driver'];
const GROUPS = ['Admins', 'Operators', 'Fleet Managers', 'Viewers'];
const PRIVILEGES = ['read', 'write', 'execute'];

/** ISO 8601 without milliseconds, as the documented dates are written. */
function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Generated ids start here, so that they never have the five digits of the documented usr-12345. */
const FIRST_GENERATED_ID = 100000;

/**
 * User `index` as the seed gives it (`generator` is the 'plaspy' one), whether it is one of the
 * users generated at start-up or one the control plane fills in. Its id depends on the index alone,
 * and never has the five digits of the documented usr-12345.
 */
export function generateUser(generator: SeededGenerator, index: number): StoredUser {
  generator.at(index);
  const person = generator.person();
  const disabled = generator.chance(0.1);
  const creation = generator.pastDate(5);
  const modification = generator.dateBetween(creation, REFERENCE_DATE);
  const lastLogin = generator.dateBetween(modification, REFERENCE_DATE);
  const expires = generator.futureDate(2);
  const privileges = PRIVILEGES.slice(0, generator.int(1, PRIVILEGES.length));
  return {
    id: `usr-${FIRST_GENERATED_ID + index}`,
    name: `${person.firstName} ${person.lastName}`,
    email: generator.email(person).toLowerCase(),
    country: generator.countryCode(),
    timeZone: generator.timeZone(),
    description: generator.jobTitle(),
    message: null,
    disabled,
    disabledMessage: disabled ? 'Account disabled by the administrator.' : null,
    tags: { role: generator.pick(ROLES) },
    privileges,
    group: generator.pick(GROUPS),
    deviceId: `dev-${generator.digits(5, false)}`,
    adminDevices: generator.int(0, 50),
    from: isoSeconds(creation),
    expires: isoSeconds(expires),
    password: null,
    creation: isoSeconds(creation),
    modification: isoSeconds(modification),
    lastLogin: isoSeconds(lastLogin),
  };
}

/** The index of the generated user whose id this is; undefined when no generated user can have it. */
function generatedIndex(id: string): number | undefined {
  return /^usr-[1-9]\d{5,}$/.test(id) ? Number(id.slice(4)) - FIRST_GENERATED_ID : undefined;
}

/** Users by id, none generated: an account's own. */
function ownUsers(): KeyedRecords<StoredUser> {
  return new KeyedRecords([], GeneratedRecords.none<StoredUser>(), (user) => user.id, () => undefined);
}

/** `count` generated users; user `i` depends on (seed, i) alone and is built when first read. */
function generatedUsers(generator: SeededGenerator, count: number): KeyedRecords<StoredUser> {
  const generated = new GeneratedRecords(count, (index) => generateUser(generator, index));
  return new KeyedRecords([], generated, (user) => user.id, generatedIndex);
}

/** Plaspy accounts by Bearer token, each with its own users and usage counters. */
export class PlaspyStore implements ProviderStore {
  private accounts = new Map<string, Account>();
  private anonymousSeed!: Usage;
  private readonly usage: UsageState;
  private nextUserNumber = 1;
  private generator!: SeededGenerator;
  /** Users the control plane fills in: the same as generating more at start-up, but for their ids. */
  private fill = new SeededFill(0);

  constructor(private readonly context: StoreContext) {
    this.usage = context.state.usage;
    this.reset();
  }

  reset(): void {
    const fixture = readFixture<AccountsFixture>('plaspy/accounts.json');
    this.accounts.clear();
    this.nextUserNumber = 1;
    this.anonymousSeed = fixture.anonymousUsage;
    const recorded = readRecordedFixture<Pick<AccountsFixture, 'accounts'>>(this.context.fixtures, 'plaspy/accounts.json');
    for (const account of [...fixture.accounts, ...(recorded?.accounts ?? [])]) this.addAccount(account);
    const generated = this.addAccount({
      token: new SeededGenerator(this.context.seed, 'plaspy/account').at(0).token(32),
      label: `Generated account (${this.context.users} users)`,
    });
    this.generator = new SeededGenerator(this.context.seed, 'plaspy');
    generated.users = generatedUsers(this.generator, this.context.users);
    this.fill = new SeededFill(this.context.users);
  }

  /** The next seeded user, for a control-plane client to complete: the fields it leaves out (its id is the account's to give). */
  generatedUserFields(): Omit<StoredUser, 'id'> {
    const { id: _id, ...fields } = this.fill.next((index) => generateUser(this.generator, index));
    return fields;
  }

  /** Adds `count` generated users to the account; answers how many it then holds. */
  generateUsers(token: string, count: number): number | undefined {
    const account = this.accounts.get(token);
    if (!account) return undefined;
    for (let i = 0; i < count; i++) this.createUser(token, this.generatedUserFields());
    return account.users.size;
  }

  // Accounts

  findAccount(token: string): Account | undefined {
    return this.accounts.get(token);
  }

  listAccounts(): Account[] {
    return [...this.accounts.values()];
  }

  /** An account as seeded: its figures hold as of the last reset. */
  private addAccount(input: AccountInput): Account {
    if (this.accounts.has(input.token)) throw new MockHttpError(409, `An account with token '${input.token}' exists`);
    const account: Account = {
      token: input.token,
      label: input.label ?? input.token,
      seeded: { apiUsage: input.apiUsage ?? 0, apiDailyUsage: input.apiDailyUsage ?? 0 },
      users: ownUsers(),
    };
    this.accounts.set(account.token, account);
    for (const user of input.users ?? []) this.createUser(account.token, user);
    return account;
  }

  /** Adds an account; its usage figures hold for the current day. */
  async createAccount(input: AccountInput): Promise<Account> {
    const account = this.addAccount(input);
    await this.usage.set(USAGE, account.token, { ...account.seeded }, { ...account.seeded });
    return account;
  }

  /** Changes an account's label or usage; undefined when there is no such account. */
  async updateAccount(token: string, patch: Partial<Pick<AccountInput, 'label' | 'apiUsage' | 'apiDailyUsage'>>) {
    const account = this.accounts.get(token);
    if (!account) return undefined;
    if (patch.label !== undefined) account.label = patch.label;
    await this.usage.set(USAGE, token, { ...account.seeded }, { apiUsage: patch.apiUsage, apiDailyUsage: patch.apiDailyUsage });
    return account;
  }

  async deleteAccount(token: string): Promise<boolean> {
    await this.usage.forget(USAGE, token);
    return this.accounts.delete(token);
  }

  /** The usage of an account now, or of the anonymous calls when there is none. */
  usageOf(account: Account | undefined): Step<Usage> {
    return this.usage.read(USAGE, account?.token ?? ANONYMOUS, { ...(account?.seeded ?? this.anonymousSeed) }) as Step<Usage>;
  }

  /** Counts one call of the account, or an anonymous one; answers the usage right after it. */
  countCall(account: Account | undefined): Step<Usage> {
    const step = this.usage.admit(USAGE, account?.token ?? ANONYMOUS, { ...(account?.seeded ?? this.anonymousSeed) });
    return andThen(step, (admission) => admission.figures as Usage);
  }

  // Users of one account

  listUsers(token: string): StoredUser[] {
    return this.accounts.get(token)?.users.values() ?? [];
  }

  /**
   * The user asked for by `GET /api/users/{userId}`: the exact id first, then `usr-<userId>`,
   * because the documented request asks for `12345` and is answered with `usr-12345`.
   */
  lookupUser(token: string, userId: string): StoredUser | undefined {
    const users = this.accounts.get(token)?.users;
    return users?.get(userId) ?? users?.get(`usr-${userId}`);
  }

  createUser(token: string, input: UserInput): StoredUser {
    const account = this.accounts.get(token);
    if (!account) throw new Error(`no account with token '${token}'`);
    const id = input.id ?? this.freeUserId(account);
    if (account.users.has(id)) throw new MockHttpError(409, `The account already has a user '${id}'`);
    const user: StoredUser = { ...defaultUser(id, this.now()), ...input, id };
    account.users.add(user);
    return user;
  }

  updateUser(token: string, id: string, patch: Partial<Omit<StoredUser, 'id'>>): StoredUser | undefined {
    const users = this.accounts.get(token)?.users;
    const user = users?.get(id);
    if (!users || !user) return undefined;
    const updated = { ...user, modification: this.now(), ...patch, id };
    users.replace(id, updated);
    return updated;
  }

  deleteUser(token: string, id: string): boolean {
    return this.accounts.get(token)?.users.delete(id) ?? false;
  }

  demoCredentials(): DemoCredential[] {
    return this.listAccounts().map((account) => ({
      label: account.label,
      scheme: 'bearer',
      value: account.token,
      example: `curl -H 'Authorization: Bearer ${account.token}' {base}/api/users`,
    }));
  }

  private now(): string {
    return isoSeconds(new Date(this.context.clock()));
  }

  private freeUserId(account: Account): string {
    let id: string;
    do id = `usr-new-${this.nextUserNumber++}`;
    while (account.users.has(id));
    return id;
  }
}

/** A new user's fields beside the required ones: active, no privileges, created now, never logged in. */
function defaultUser(id: string, now: string): Omit<StoredUser, 'name' | 'email' | 'country' | 'timeZone'> {
  return {
    id,
    description: '',
    message: null,
    disabled: false,
    disabledMessage: null,
    tags: {},
    privileges: [],
    group: '',
    deviceId: '',
    adminDevices: 0,
    from: now,
    expires: '',
    password: null,
    creation: now,
    modification: now,
    lastLogin: '',
  };
}
