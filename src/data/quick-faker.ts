import { Draws, scopeKey } from './draws.js';
import { REFERENCE_DATE } from './faker.js';
import { WORDS } from './words.js';

type DateLike = Date | string | number;

/**
 * The part of faker's interface the generators use. A seeded `Faker` satisfies it, and so does
 * QuickFaker, so one generator function serves control-plane fills (faker) and generated records.
 */
export interface FakerLike {
  person: { firstName(): string; lastName(): string; jobTitle(): string };
  company: { name(): string };
  internet: {
    email(options?: { firstName?: string; lastName?: string }): string;
    username(options?: { firstName?: string; lastName?: string }): string;
  };
  location: {
    city(): string;
    country(): string;
    countryCode(variant?: 'alpha-2' | 'alpha-3' | 'numeric'): string;
    streetAddress(): string;
    timeZone(): string;
  };
  string: {
    alphanumeric(options?: number | { length?: number; casing?: 'upper' | 'lower' | 'mixed' }): string;
    numeric(options?: number | { length?: number; allowLeadingZeros?: boolean }): string;
    hexadecimal(options?: { length?: number; casing?: 'upper' | 'lower' | 'mixed'; prefix?: string }): string;
  };
  number: { int(options?: { min?: number; max?: number }): number };
  datatype: { boolean(options?: { probability?: number }): boolean };
  helpers: { arrayElement<T>(items: ReadonlyArray<T>): T };
  date: {
    past(options?: { years?: number; refDate?: DateLike }): Date;
    future(options?: { years?: number; refDate?: DateLike }): Date;
    between(options: { from: DateLike; to: DateLike }): Date;
  };
}

const YEAR_MS = 365 * 24 * 3600 * 1000;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

function alphabet(casing: 'upper' | 'lower' | 'mixed' = 'mixed', letters = LOWER): string {
  if (casing === 'lower') return letters;
  if (casing === 'upper') return letters.toUpperCase();
  return letters + letters.toUpperCase();
}

const plainNames = new Map<string, string>();

/** Letters and digits only, as an address's local part wants them (names repeat: each is worked out once). */
function plain(name: string): string {
  let text = plainNames.get(name);
  if (text === undefined) {
    text = name.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
    if (plainNames.size < 100_000) plainNames.set(name, text);
  }
  return text;
}

function time(date: DateLike): number {
  return typeof date === 'number' ? date : new Date(date).getTime();
}

/**
 * Faker's interface over seeded per-record draws and faker's English word lists: about a
 * microsecond per record instead of tens, and record `i` depends on (seed, scope, i) alone, so it
 * can be built on its own, when it is first read. `at(index, stream)` positions it on one record.
 */
export class QuickFaker implements FakerLike {
  private readonly draws: Draws;

  constructor(seed: number, scope: string) {
    this.draws = new Draws(scopeKey(seed, scope));
  }

  at(index: number, stream = 0): this {
    this.draws.at(index, stream);
    return this;
  }

  /** The next draw below n: what `helpers.arrayElement` of an n-item list takes. */
  below(n: number): number {
    return this.draws.below(n);
  }

  readonly person = {
    firstName: () => this.draws.pick(WORDS.firstNames),
    lastName: () => this.draws.pick(WORDS.lastNames),
    jobTitle: () =>
      `${this.draws.pick(WORDS.jobDescriptors)} ${this.draws.pick(WORDS.jobAreas)} ${this.draws.pick(WORDS.jobTypes)}`,
  };

  readonly company = {
    name: () => {
      const last = () => this.draws.pick(WORDS.lastNames);
      switch (this.draws.below(3)) {
        case 0:
          return `${last()} - ${last()}`;
        case 1:
          return `${last()} ${this.draws.pick(WORDS.companySuffixes)}`;
        default:
          return `${last()}, ${last()} and ${last()}`;
      }
    },
  };

  readonly internet = {
    email: (options: { firstName?: string; lastName?: string } = {}) => {
      const first = plain(options.firstName ?? this.person.firstName());
      const last = plain(options.lastName ?? this.person.lastName());
      const local = [`${first}.${last}`, `${first}_${last}`, `${first}${last}${this.draws.int(1, 99)}`][this.draws.below(3)];
      return `${local}@${this.draws.pick(WORDS.freeEmails)}`;
    },
    username: (options: { firstName?: string; lastName?: string } = {}) => {
      const first = plain(options.firstName ?? this.person.firstName());
      const last = plain(options.lastName ?? this.person.lastName());
      return [`${first}.${last}`, `${first}_${last}`, `${first}${this.draws.int(1, 99)}`][this.draws.below(3)]!;
    },
  };

  readonly location = {
    city: () => this.draws.pick(WORDS.cities),
    country: () => this.draws.pick(WORDS.countries),
    countryCode: (variant: 'alpha-2' | 'alpha-3' | 'numeric' = 'alpha-2') => {
      const code = this.draws.pick(WORDS.countryCodes);
      return variant === 'alpha-3' ? code.alpha3 : variant === 'numeric' ? code.numeric : code.alpha2;
    },
    streetAddress: () => {
      const number = this.draws.chars(DIGITS, 3 + this.draws.below(3));
      const name = this.draws.below(2) === 0 ? this.person.firstName() : this.person.lastName();
      return `${number} ${name} ${this.draws.pick(WORDS.streetSuffixes)}`;
    },
    timeZone: () => this.draws.pick(WORDS.timeZones),
  };

  readonly string = {
    alphanumeric: (options: number | { length?: number; casing?: 'upper' | 'lower' | 'mixed' } = {}) => {
      const { length = 1, casing = 'mixed' } = typeof options === 'number' ? { length: options } : options;
      return this.draws.chars(alphabet(casing) + DIGITS, length);
    },
    numeric: (options: number | { length?: number; allowLeadingZeros?: boolean } = {}) => {
      const { length = 1, allowLeadingZeros = true } = typeof options === 'number' ? { length: options } : options;
      if (length <= 0) return '';
      const first = allowLeadingZeros ? this.draws.chars(DIGITS, 1) : this.draws.chars(DIGITS.slice(1), 1);
      return first + this.draws.chars(DIGITS, length - 1);
    },
    hexadecimal: (options: { length?: number; casing?: 'upper' | 'lower' | 'mixed'; prefix?: string } = {}) => {
      const { length = 1, casing = 'mixed', prefix = '0x' } = options;
      return prefix + this.draws.chars(DIGITS + alphabet(casing, 'abcdef'), length);
    },
  };

  readonly number = {
    int: (options: { min?: number; max?: number } = {}) => this.draws.int(options.min ?? 0, options.max ?? 2 ** 31 - 1),
  };

  readonly datatype = {
    boolean: (options: { probability?: number } = {}) => this.draws.float() < (options.probability ?? 0.5),
  };

  readonly helpers = {
    arrayElement: <T>(items: ReadonlyArray<T>): T => this.draws.pick(items),
  };

  readonly date = {
    past: (options: { years?: number; refDate?: DateLike } = {}) => {
      const ref = time(options.refDate ?? REFERENCE_DATE);
      return new Date(ref - this.draws.int(1000, (options.years ?? 1) * YEAR_MS));
    },
    future: (options: { years?: number; refDate?: DateLike } = {}) => {
      const ref = time(options.refDate ?? REFERENCE_DATE);
      return new Date(ref + this.draws.int(1000, (options.years ?? 1) * YEAR_MS));
    },
    between: (options: { from: DateLike; to: DateLike }) => {
      const from = time(options.from);
      const to = time(options.to);
      return new Date(from + this.draws.below(Math.max(0, to - from) + 1));
    },
  };
}
