import { Faker, base, en } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { REFERENCE_DATE, createFaker } from '../../src/data/faker.js';
import { hashText } from '../../src/data/draws.js';

/** What every generator draws, in one sequence. */
function sample(faker: Faker): unknown[] {
  return Array.from({ length: 20 }, () => [
    faker.person.firstName(),
    faker.person.lastName(),
    faker.internet.email(),
    faker.company.name(),
    faker.location.streetAddress(),
    faker.location.city(),
    faker.location.timeZone(),
    faker.string.alphanumeric(12),
    faker.date.past({ years: 3 }).toISOString(),
  ]);
}

describe('createFaker', () => {
  it('draws exactly what a faker of the English and base locales draws for the same seed', () => {
    const reference = new Faker({ locale: [en, base] });
    reference.seed([7, hashText('datonis')]);
    reference.setDefaultRefDate(REFERENCE_DATE);
    expect(sample(createFaker(7, 'datonis'))).toEqual(sample(reference));
  });
});
