import { GeneratedRecords } from '../../data/generated-records.js';
import { type Person, REFERENCE_DATE, SeededGenerator } from '../../data/generator.js';
import type { IndexCodec } from '../../data/index-codec.js';
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

/** The parts of a user, each drawn from its own stream, so that one field of every user costs one draw. */
const PART = { person: 0, times: 1, address: 2, city: 3, country: 4, email: 5, phone: 6, role: 7, zone: 8 };

interface Times {
  created: Date;
  confirmed: Date;
  updated: Date;
}

/** How a user's creation is drawn, first of its times stream. */
type Created = (generator: SeededGenerator) => Date;

/** Anywhere in the six years before the reference date. */
const withinHistory: Created = (generator) => generator.pastDate(HISTORY_YEARS);

function times(generator: SeededGenerator, created: Created): Times {
  const createdAt = created(generator);
  const confirmed = new Date(createdAt.getTime() + generator.int(60_000, DAY_MS));
  const updated = new Date(confirmed.getTime() + generator.int(0, 90 * DAY_MS));
  return { created: createdAt, confirmed, updated };
}

/**
 * An organisation's generated users: user `i` of `count` depends on (seed, i) alone and is built
 * when first read. Users come in creation order: user `i` was created in the i-th of `count` equal
 * slices of the six years before the reference date. A user's key codes its index, so that a key
 * finds its user without a map; and any one field of every user can be computed alone, for an index.
 */
export class GeneratedUsers {
  readonly records: GeneratedRecords<StoredUser>;
  private readonly generator: SeededGenerator;
  private readonly codec: IndexCodec;
  private readonly sliceMs: number;
  private readonly startMs = REFERENCE_DATE.getTime() - HISTORY_MS;

  constructor(seed: number, readonly count: number) {
    this.generator = new SeededGenerator(seed, 'datonis');
    this.codec = this.generator.indexCodec(USER_KEY_ALPHABET, USER_KEY_LENGTH, 'user_key');
    this.sliceMs = HISTORY_MS / Math.max(1, count);
    this.records = new GeneratedRecords(count, (index) => this.build(index));
  }

  /** The generator, on the stream of one part (a PART) of user `index`. */
  private part(index: number, part: number): SeededGenerator {
    return this.generator.at(index, part);
  }

  private person(index: number): Person {
    return this.part(index, PART.person).person();
  }

  /** In the index-th of `count` equal slices of the six years, so that users come in creation order. */
  private created(index: number): Created {
    const start = this.startMs + Math.floor(index * this.sliceMs);
    return (generator) => new Date(start + generator.int(0, Math.max(0, Math.floor(this.sliceMs) - 1)));
  }

  /** User `index`, its parts drawn from their streams, created as `created` draws it. */
  private user(index: number, created: Created): StoredUser {
    const person = this.person(index);
    const when = times(this.part(index, PART.times), created);
    return {
      address: this.part(index, PART.address).streetAddress(),
      city: this.part(index, PART.city).city(),
      confirmed_at: when.confirmed.toISOString(),
      country: this.part(index, PART.country).country(),
      email: this.part(index, PART.email).email(person).toLowerCase(),
      first_name: person.firstName,
      last_name: person.lastName,
      phone: this.part(index, PART.phone).digits(10),
      ...this.part(index, PART.role).pick(ROLES),
      time_zone: this.part(index, PART.zone).pick(TIME_ZONES),
      user_key: this.userKey(index),
      created_at: Math.floor(when.created.getTime() / 1000),
      updated_at: Math.floor(when.updated.getTime() / 1000),
    };
  }

  private build(index: number): StoredUser {
    return this.user(index, this.created(index));
  }

  /**
   * User `index` as the control plane fills it in: the function that builds a generated user, at an
   * index past them, so the same seed gives the same users whichever path made them; only its
   * creation, which has no place among the `count` generated ones, is drawn anywhere in the six years.
   */
  filled(index: number): StoredUser {
    return this.user(index, withinHistory);
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

  /** Positions of user `index`'s first and last names in ENGLISH's lists, as its person part draws them. */
  nameIndexes(index: number): [number, number] {
    return this.part(index, PART.person).personIndexes();
  }

  /** One field of user `index` as generated, computed without building the rest. */
  field(index: number, field: keyof StoredUser): StoredUser[keyof StoredUser] {
    switch (field) {
      case 'first_name':
        return this.person(index).firstName;
      case 'last_name':
        return this.person(index).lastName;
      case 'user_key':
        return this.userKey(index);
      case 'created_at':
      case 'updated_at':
      case 'confirmed_at': {
        const when = times(this.part(index, PART.times), this.created(index));
        if (field === 'confirmed_at') return when.confirmed.toISOString();
        return Math.floor((field === 'created_at' ? when.created : when.updated).getTime() / 1000);
      }
      case 'address':
        return this.part(index, PART.address).streetAddress();
      case 'city':
        return this.part(index, PART.city).city();
      case 'country':
        return this.part(index, PART.country).country();
      case 'email': {
        const person = this.person(index);
        return this.part(index, PART.email).email(person).toLowerCase();
      }
      case 'phone':
        return this.part(index, PART.phone).digits(10);
      case 'role':
      case 'role_name':
      case 'role_key':
        return this.part(index, PART.role).pick(ROLES)[field];
      case 'time_zone':
        return this.part(index, PART.zone).pick(TIME_ZONES);
      default:
        return undefined;
    }
  }
}
