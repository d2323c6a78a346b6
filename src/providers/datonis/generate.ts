import { scopeKey } from '../../data/draws.js';
import { REFERENCE_DATE } from '../../data/faker.js';
import { GeneratedRecords } from '../../data/generated-records.js';
import { IndexCodec } from '../../data/index-codec.js';
import { type FakerLike, QuickFaker } from '../../data/quick-faker.js';
import { WORDS } from '../../data/words.js';
import type { StoredUser } from './schemas.js';

const ROLES = [
  { role: 'admin', role_name: 'Account Admin', role_key: '67e37d7bat' },
  { role: 'normal', role_name: 'Read Only', role_key: '411a45tdc7' },
];
const TIME_ZONES = ['Mumbai', 'Kolkata', 'London', 'Berlin', 'Tokyo', 'Singapore', 'Eastern Time (US & Canada)'];
const DAY_MS = 86_400_000;
const HISTORY_YEARS = 6;
const HISTORY_MS = HISTORY_YEARS * 365 * DAY_MS;
/** The characters of user keys, and how many a key has. */
export const USER_KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const USER_KEY_LENGTH = 10;

/** The parts of a user, each drawn from its own stream when users are generated one by one. */
export const PART = { person: 0, times: 1, address: 2, city: 3, country: 4, email: 5, phone: 6, role: 7, zone: 8, key: 9 };
type Part = keyof typeof PART;

/**
 * Where each part of a user draws from: one faker for every part (a control-plane fill), or a
 * stream of its own per part (a generated user, so that one field of every user costs one draw).
 */
export type Source = (part: Part) => FakerLike;

interface Times {
  created: Date;
  confirmed: Date;
  updated: Date;
}

function names(faker: FakerLike): [string, string] {
  return [faker.person.firstName(), faker.person.lastName()];
}

function times(faker: FakerLike, created: Date): Times {
  const confirmed = new Date(created.getTime() + faker.number.int({ min: 60_000, max: DAY_MS }));
  const updated = new Date(confirmed.getTime() + faker.number.int({ min: 0, max: 90 * DAY_MS }));
  return { created, confirmed, updated };
}

/**
 * A user, its parts drawn from `source` in a fixed order. `created` draws the creation date (the
 * first draw of the times part); `userKey` replaces the drawn key.
 */
export function generateUser(
  source: Source,
  created: (faker: FakerLike) => Date = (faker) => faker.date.past({ years: HISTORY_YEARS }),
  userKey?: string,
): StoredUser {
  const [firstName, lastName] = names(source('person'));
  const timesSource = source('times');
  const when = times(timesSource, created(timesSource));
  return {
    address: source('address').location.streetAddress(),
    city: source('city').location.city(),
    confirmed_at: when.confirmed.toISOString(),
    country: source('country').location.country(),
    email: source('email').internet.email({ firstName, lastName }).toLowerCase(),
    first_name: firstName,
    last_name: lastName,
    phone: source('phone').string.numeric(10),
    ...source('role').helpers.arrayElement(ROLES),
    time_zone: source('zone').helpers.arrayElement(TIME_ZONES),
    user_key: userKey ?? source('key').string.alphanumeric({ length: USER_KEY_LENGTH, casing: 'lower' }),
    created_at: Math.floor(when.created.getTime() / 1000),
    updated_at: Math.floor(when.updated.getTime() / 1000),
  };
}

/**
 * An organisation's generated users: user `i` of `count` depends on (seed, i) alone and is built
 * when first read. Users come in creation order: user `i` was created in the i-th of `count` equal
 * slices of the six years before the reference date. A user's key codes its index, so that a key
 * finds its user without a map; and any one field of every user can be computed alone, for an index.
 */
export class GeneratedUsers {
  readonly records: GeneratedRecords<StoredUser>;
  private readonly faker: QuickFaker;
  private readonly codec: IndexCodec;
  private readonly sliceMs: number;
  private readonly startMs = REFERENCE_DATE.getTime() - HISTORY_MS;

  constructor(seed: number, readonly count: number) {
    this.faker = new QuickFaker(seed, 'datonis');
    this.codec = new IndexCodec(USER_KEY_ALPHABET, USER_KEY_LENGTH, scopeKey(seed, 'datonis/user_key'));
    this.sliceMs = HISTORY_MS / Math.max(1, count);
    this.records = new GeneratedRecords(count, (index) => this.build(index));
  }

  private source(index: number): Source {
    return (part) => this.faker.at(index, PART[part]);
  }

  private created(index: number): (faker: FakerLike) => Date {
    const start = this.startMs + Math.floor(index * this.sliceMs);
    return (faker) => new Date(start + faker.number.int({ min: 0, max: Math.max(0, Math.floor(this.sliceMs) - 1) }));
  }

  private build(index: number): StoredUser {
    return generateUser(this.source(index), this.created(index), this.userKey(index));
  }

  userKey(index: number): string {
    return this.codec.encode(index);
  }

  /** User `index`'s key as positions in USER_KEY_ALPHABET, written into `out` from `offset`. */
  userKeyInto(index: number, out: Uint8Array, offset: number): void {
    this.codec.encodeInto(index, out, offset);
  }

  /** The index of the generated user with this key, if one can have it. */
  indexOfKey(userKey: string): number | undefined {
    const index = this.codec.decode(userKey);
    return index !== undefined && index < this.count ? index : undefined;
  }

  /** Positions of user `index`'s first and last names in WORDS, as its name part draws them. */
  nameIndexes(index: number): [number, number] {
    this.faker.at(index, PART.person);
    return [this.faker.below(WORDS.firstNames.length), this.faker.below(WORDS.lastNames.length)];
  }

  /** One field of user `index` as generated, computed without building the rest. */
  field(index: number, field: keyof StoredUser): StoredUser[keyof StoredUser] {
    const source = this.source(index);
    switch (field) {
      case 'first_name':
      case 'last_name': {
        const [first, last] = names(source('person'));
        return field === 'first_name' ? first : last;
      }
      case 'user_key':
        return this.userKey(index);
      case 'created_at':
      case 'updated_at':
      case 'confirmed_at': {
        const faker = source('times');
        const when = times(faker, this.created(index)(faker));
        if (field === 'confirmed_at') return when.confirmed.toISOString();
        return Math.floor((field === 'created_at' ? when.created : when.updated).getTime() / 1000);
      }
      case 'address':
        return source('address').location.streetAddress();
      case 'city':
        return source('city').location.city();
      case 'country':
        return source('country').location.country();
      case 'email': {
        const [first, last] = names(source('person'));
        return source('email').internet.email({ firstName: first, lastName: last }).toLowerCase();
      }
      case 'phone':
        return source('phone').string.numeric(10);
      case 'role':
      case 'role_name':
      case 'role_key':
        return source('role').helpers.arrayElement(ROLES)[field];
      case 'time_zone':
        return source('zone').helpers.arrayElement(TIME_ZONES);
      default:
        return undefined;
    }
  }
}
