import { Faker, base, en } from '@faker-js/faker';

/** Generated dates are relative to this instant, never to the clock, so data is the same on every run. */
export const REFERENCE_DATE = new Date('2024-06-01T00:00:00.000Z');

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * One faker per provider and seed: changing one provider's data never reshuffles another's.
 */
export function createFaker(seed: number, scope: string): Faker {
  const faker = new Faker({ locale: [en, base] });
  faker.seed([seed, hash(scope)]);
  faker.setDefaultRefDate(REFERENCE_DATE);
  return faker;
}
