import { SeededFill } from '../../data/seeded-accounts.js';
import type { Sliceable } from '../../record-admin.js';
import { ALPHANUMERIC, SeededGenerator } from '../../data/generator.js';
import { MockHttpError } from '../../http/http-error.js';
import { readFixture, readRecordedFixture } from '../../data/fixtures.js';
import type { DemoCredential, ProviderStore, StoreContext } from '../../provider.js';
import { GeneratedUsers } from './generate.js';
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
  /** Its generated users (none but in the one that receives them): first in creation order, built when first read. */
  generated: GeneratedUsers;
  /** Its other users (documented, added later), after the generated ones, in creation order. */
  users: StoredUser[];
}

/** How many users an organisation holds. */
export function userCount(organisation: Organisation): number {
  return organisation.generated.records.size + organisation.users.length;
}

/** An organisation's users in creation order, a slice at a time. */
export function usersOf(organisation: Organisation): Sliceable<StoredUser> {
  const generated = organisation.generated.records;
  return {
    size: userCount(organisation),
    slice(start, limit) {
      const out = start < generated.size ? generated.slice(start, limit) : [];
      const skip = Math.max(0, start - generated.size);
      return [...out, ...organisation.users.slice(skip, skip + limit - out.length)];
    },
  };
}

/** Datonis organisations, their tokens and users: the documented Acme account, then generated users. */
/** A few users to name: more than this are counted, and the first of them named (a recorded organisation has 1,000). */
const NAMED_USERS = 5;

function someNames(users: readonly { first_name: string }[]): string {
  const names = users.slice(0, NAMED_USERS).map((user) => user.first_name);
  return users.length <= NAMED_USERS ? names.join(', ') : `${users.length} users: ${names.join(', ')}, …`;
}

export class DatonisStore implements ProviderStore {
  private organisations = new Map<string, Organisation>();
  private byToken = new Map<string, Organisation>();
  /** Fills what a control-plane client leaves out of an organisation. */
  private organisationGenerator!: SeededGenerator;
  private nextOrganisation = 0;
  /** Users the control plane fills in: the same as generating more at start-up, but for when they were created. */
  private fill = new SeededFill(0);

  constructor(private readonly context: StoreContext) {
    this.reset();
  }

  reset(): void {
    this.organisations.clear();
    this.byToken.clear();
    type Fixture = Omit<Organisation, 'generated'>;
    const recorded = readRecordedFixture<Fixture[]>(this.context.fixtures, 'datonis/accounts.json') ?? [];
    for (const fixture of [...readFixture<Fixture[]>('datonis/accounts.json'), ...recorded]) {
      const count = fixture.generated_users ? this.context.users : 0;
      this.index({ ...fixture, generated: new GeneratedUsers(this.context.seed, count) });
    }
    this.organisationGenerator = new SeededGenerator(this.context.seed, 'datonis/organisation');
    this.nextOrganisation = 0;
    this.fill = new SeededFill(this.context.users);
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
    const generator = this.organisationGenerator.at(this.nextOrganisation++);
    const [key, name, token] = [generator.token(10), generator.company(), generator.token(22, ALPHANUMERIC)];
    const organisation: Organisation = {
      organisation_key: input.organisation_key ?? key,
      name: input.name ?? name,
      tokens: input.tokens ?? [token],
      is_oem: input.is_oem ?? false,
      child_organisation_keys: input.child_organisation_keys ?? [],
      generated_users: false,
      generated: new GeneratedUsers(this.context.seed, 0),
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

  /** The next seeded user, for a control-plane client to complete. */
  private generatedUser(organisation: Organisation): StoredUser {
    return this.fill.next((index) => organisation.generated.filled(index));
  }

  /** The index of the generated user with this key, if the organisation holds one. */
  private generatedIndex(organisation: Organisation, userKey: string): number | undefined {
    const index = organisation.generated.indexOfKey(userKey);
    return index !== undefined && organisation.generated.records.has(index) ? index : undefined;
  }

  findUser(organisation: Organisation, userKey: string): StoredUser | undefined {
    const other = organisation.users.find((user) => user.user_key === userKey);
    if (other) return other;
    const index = this.generatedIndex(organisation, userKey);
    return index === undefined ? undefined : organisation.generated.records.get(index);
  }

  addUser(organisation: Organisation, input: Partial<StoredUser>): StoredUser {
    const user = { ...this.generatedUser(organisation), created_at: Math.floor(this.context.clock() / 1000), ...input };
    if (this.findUser(organisation, user.user_key)) {
      throw new MockHttpError(409, `User ${user.user_key} exists in organisation ${organisation.organisation_key}`);
    }
    user.updated_at = input.updated_at ?? user.created_at;
    organisation.users.push(user);
    return user;
  }

  generateUsers(organisation: Organisation, count: number): number {
    for (let i = 0; i < count; i++) organisation.users.push(this.generatedUser(organisation));
    return userCount(organisation);
  }

  updateUser(organisation: Organisation, userKey: string, patch: Partial<StoredUser>): StoredUser | undefined {
    const current = this.findUser(organisation, userKey);
    if (!current) return undefined;
    const changed = { ...current, ...patch, user_key: userKey, updated_at: patch.updated_at ?? Math.floor(this.context.clock() / 1000) };
    const index = organisation.users.indexOf(current);
    if (index !== -1) organisation.users[index] = changed;
    else organisation.generated.records.set(this.generatedIndex(organisation, userKey)!, changed);
    return changed;
  }

  deleteUser(organisation: Organisation, userKey: string): boolean {
    const index = organisation.users.findIndex((user) => user.user_key === userKey);
    if (index !== -1) {
      organisation.users.splice(index, 1);
      return true;
    }
    const generated = this.generatedIndex(organisation, userKey);
    return generated !== undefined && organisation.generated.records.delete(generated);
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
        label: `${organisation.name} (${organisation.generated_users ? `${userCount(organisation)} generated users` : someNames(organisation.users)})`,
        scheme: 'X-Auth-Token header',
        value: token,
        example: `curl -H "X-Auth-Token:${token}" {base}/api/v3/users`,
      })),
    );
  }
}
