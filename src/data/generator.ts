import { faker as english } from '@faker-js/faker/locale/en';
import { Draws, scopeKey } from './draws.js';
import { IndexCodec } from './index-codec.js';

/** Generated dates are relative to this instant, never to the clock, so data is the same on every run. */
export const REFERENCE_DATE = new Date('2024-06-01T00:00:00.000Z');
const REFERENCE_MS = REFERENCE_DATE.getTime();
const YEAR_MS = 365 * 24 * 3600 * 1000;

const DIGITS = '0123456789';
/** Alphabets of generated tokens and keys. */
export const LOWER_ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const LOWER_HEX = '0123456789abcdef';

/**
 * Faker's English definitions (English over its base locale), from the entry point that loads those
 * two locales only: every name, place and word generated is drawn from them.
 */
const locale = english.rawDefinitions as unknown as Record<string, Record<string, unknown> | undefined>;

/** A list of the locale, as `person.job_area` names it; a list it lacks fails at start-up, never quietly. */
function words(path: string): readonly string[] {
  const [section, entry] = path.split('.') as [string, string];
  const value = locale[section]?.[entry];
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) {
    throw new Error(`faker's English locale has no word list ${path}`);
  }
  return value;
}

function unique(items: readonly string[]): readonly string[] {
  return [...new Set(items)];
}

/** The locale's first names of either sex and of none, each once; its family names. */
const names = locale.person as { first_name?: Record<string, string[]>; last_name?: Record<string, string[]> } | undefined;
const firstNames = unique([...(names?.first_name?.female ?? []), ...(names?.first_name?.male ?? []), ...(names?.first_name?.generic ?? [])]);
const lastNames = unique(names?.last_name?.generic ?? []);
if (firstNames.length === 0 || lastNames.length === 0) throw new Error("faker's English locale has no names");
const countryCodes = (locale.location?.country_code as { alpha3: string }[] | undefined)?.map((code) => code.alpha3) ?? [];
if (countryCodes.length === 0) throw new Error("faker's English locale has no country codes");

/** Faker's English lists that generated values are drawn from as they are (names, places, mail domains). */
export const ENGLISH = {
  firstNames,
  lastNames,
  cities: unique(words('location.city_name')),
  countries: unique(words('location.country')),
  /** ISO 3166 alpha-3 codes. */
  countryCodes,
  timeZones: words('location.time_zone'),
  freeEmails: words('internet.free_email'),
};

/** Draws one text: a word, one of the locale's patterns filled in, or a digit. */
type Fill = (draws: Draws) => string;

const pickOne =
  (items: readonly string[]): Fill =>
  (draws) =>
    items[draws.below(items.length)]!;

function oneOf(fills: readonly Fill[]): Fill {
  return fills.length === 1 ? fills[0]! : (draws) => fills[draws.below(fills.length)]!(draws);
}

/** References of the locale's patterns that are not one of its word lists, as faker resolves them. */
const REFERENCES: Record<string, () => Fill> = {
  'person.firstName': () => pickOne(firstNames),
  'person.lastName': () => pickOne(lastNames),
  'location.buildingNumber': () => patterns('location.building_number'),
  'location.street': () => patterns('location.street_pattern'),
};

/** `jobDescriptor` → `job_descriptor`: how a pattern's reference names a list of the locale. */
function listPath(reference: string): string {
  return reference.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * One of the locale's patterns ('{{person.lastName}} {{company.legal_entity_type}}', '####'), read
 * once into what fills it: each `{{reference}}` draws from the list it names, each `#` a digit.
 */
function pattern(text: string): Fill {
  const parts: Fill[] = [];
  for (const [index, piece] of text.split(/\{\{([^}]+)\}\}/).entries()) {
    if (index % 2 === 1) {
      parts.push(REFERENCES[piece]?.() ?? pickOne(words(listPath(piece))));
      continue;
    }
    for (const [at, literal] of piece.split('#').entries()) {
      if (at > 0) parts.push(pickOne(DIGITS.split('')));
      if (literal !== '') parts.push(() => literal);
    }
  }
  if (parts.length === 1) return parts[0]!;
  return (draws) => {
    let filled = '';
    for (const part of parts) filled += part(draws);
    return filled;
  };
}

/** One pattern of a list of them, filled in. */
function patterns(path: string): Fill {
  return oneOf(words(path).map(pattern));
}

const street = (locale.location?.street_address as { normal?: string } | undefined)?.normal;
if (street === undefined) throw new Error("faker's English locale has no street address pattern");
const FILLS = {
  company: patterns('company.name_pattern'),
  jobTitle: patterns('person.job_title_pattern'),
  streetAddress: pattern(street),
};

/** Letters and digits only, as an address's local part wants them; the locale's names are worked out once. */
const plainNames = new Map<string, string>();
function plain(name: string): string {
  return plainNames.get(name) ?? name.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');
}
for (const name of [...firstNames, ...lastNames]) plainNames.set(name, plain(name));

export interface Person {
  firstName: string;
  lastName: string;
}

/**
 * The one seeded generator: every generated value, a generated record's or one the control plane
 * fills in, is drawn here, from faker's English lists and patterns. Draws are a pure function of
 * (seed, scope, index, stream): `at(index, stream)` positions the generator on one record (or on one
 * part of it), which is built the same whatever was drawn before, on every machine, without the cost
 * of faker's own calls (a million records are built one by one, when first read).
 */
export class SeededGenerator {
  private readonly draws: Draws;

  constructor(
    private readonly seed: number,
    private readonly scope: string,
  ) {
    this.draws = new Draws(scopeKey(seed, scope));
  }

  /** Starts over at the beginning of record `index`'s stream. */
  at(index: number, stream = 0): this {
    this.draws.at(index, stream);
    return this;
  }

  /** A codec of record indexes for this seed and one kind of key of the scope (`token`): its codes look random. */
  indexCodec(alphabet: string, length: number, key: string): IndexCodec {
    return new IndexCodec(alphabet, length, scopeKey(this.seed, `${this.scope}/${key}`));
  }

  // Choices

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return this.draws.int(min, max);
  }

  /** True with this probability. */
  chance(probability: number): boolean {
    return this.draws.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return this.draws.pick(items);
  }

  // People and companies

  person(): Person {
    const firstName = firstNames[this.draws.below(firstNames.length)]!;
    return { firstName, lastName: lastNames[this.draws.below(lastNames.length)]! };
  }

  /** Where person() finds its first and last names in ENGLISH's lists, drawn as it draws them. */
  personIndexes(): [number, number] {
    return [this.draws.below(firstNames.length), this.draws.below(lastNames.length)];
  }

  /** An address at a free mail service, from the person's names. */
  email({ firstName, lastName }: Person): string {
    const first = plain(firstName);
    const last = plain(lastName);
    const form = this.draws.below(3);
    const local = form === 0 ? `${first}.${last}` : form === 1 ? `${first}_${last}` : `${first}${last}${this.draws.int(1, 99)}`;
    return `${local}@${this.pick(ENGLISH.freeEmails)}`;
  }

  /** A user name made of the person's names. */
  username({ firstName, lastName }: Person): string {
    const first = plain(firstName);
    const last = plain(lastName);
    const form = this.draws.below(3);
    return form === 0 ? `${first}.${last}` : form === 1 ? `${first}_${last}` : `${first}${this.draws.int(1, 99)}`;
  }

  jobTitle(): string {
    return FILLS.jobTitle(this.draws);
  }

  company(): string {
    return FILLS.company(this.draws);
  }

  // Places

  streetAddress(): string {
    return FILLS.streetAddress(this.draws);
  }

  city(): string {
    return this.pick(ENGLISH.cities);
  }

  country(): string {
    return this.pick(ENGLISH.countries);
  }

  /** An ISO 3166 alpha-3 code. */
  countryCode(): string {
    return this.pick(ENGLISH.countryCodes);
  }

  /** An IANA time zone. */
  timeZone(): string {
    return this.pick(ENGLISH.timeZones);
  }

  // Codes

  /** `length` characters of the alphabet. */
  token(length: number, alphabet = LOWER_ALPHANUMERIC): string {
    return this.draws.chars(alphabet, length);
  }

  /** `length` digits; the first never 0 unless `leadingZero`. */
  digits(length: number, leadingZero = true): string {
    if (length <= 0) return '';
    return (leadingZero ? '' : this.draws.chars(DIGITS.slice(1), 1)) + this.draws.chars(DIGITS, leadingZero ? length : length - 1);
  }

  // Times

  /** An instant in the `years` before the reference date. */
  pastDate(years: number): Date {
    return new Date(REFERENCE_MS - this.draws.int(1000, years * YEAR_MS));
  }

  /** An instant in the `years` after the reference date. */
  futureDate(years: number): Date {
    return new Date(REFERENCE_MS + this.draws.int(1000, years * YEAR_MS));
  }

  /** An instant from `from` to `to`, both included. */
  dateBetween(from: Date, to: Date): Date {
    return new Date(from.getTime() + this.draws.below(Math.max(0, to.getTime() - from.getTime()) + 1));
  }
}
