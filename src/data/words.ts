import { faker as english } from '@faker-js/faker/locale/en';

const definitions = english.rawDefinitions;

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** A word list of the definitions, or the fallback when the locale has none. */
function words(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : fallback;
}

/** Faker's English word lists, read once, as the quick generator draws from them. */
export const WORDS = {
  firstNames: unique([
    ...(definitions.person?.first_name?.female ?? []),
    ...(definitions.person?.first_name?.male ?? []),
    ...(definitions.person?.first_name?.generic ?? []),
  ]),
  lastNames: unique(definitions.person?.last_name?.generic ?? ['Doe']),
  jobDescriptors: definitions.person?.job_descriptor ?? ['Lead'],
  jobAreas: definitions.person?.job_area ?? ['Solutions'],
  jobTypes: definitions.person?.job_type ?? ['Supervisor'],
  freeEmails: definitions.internet?.free_email ?? ['example.com'],
  companySuffixes: words(definitions.company?.legal_entity_type, ['Inc']),
  cities: unique(definitions.location?.city_name ?? ['Springfield']),
  countries: unique(definitions.location?.country ?? ['Nowhere']),
  countryCodes: (definitions.location?.country_code ?? [{ alpha2: 'US', alpha3: 'USA', numeric: '840' }]).map((code) => ({
    alpha2: code.alpha2,
    alpha3: code.alpha3,
    numeric: code.numeric,
  })),
  streetSuffixes: definitions.location?.street_suffix ?? ['Street'],
  timeZones: definitions.location?.time_zone ?? ['UTC'],
};
