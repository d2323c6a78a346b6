import type { Faker } from '@faker-js/faker';
import { faker as english } from '@faker-js/faker/locale/en';
import { hashText } from './draws.js';

/** Generated dates are relative to this instant, never to the clock, so data is the same on every run. */
export const REFERENCE_DATE = new Date('2024-06-01T00:00:00.000Z');

/**
 * The English faker's class and its merged English and base definitions, from the entry point that
 * loads those two locales only (the package's main entry loads all seventy).
 */
const FakerClass = english.constructor as typeof Faker;

/**
 * One faker per provider and seed: changing one provider's data never reshuffles another's.
 */
export function createFaker(seed: number, scope: string): Faker {
  const faker = new FakerClass({ locale: english.rawDefinitions });
  faker.seed([seed, hashText(scope)]);
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}
