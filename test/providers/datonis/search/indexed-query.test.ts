import { describe, expect, it } from 'vitest';
import { Draws, scopeKey } from '../../../../src/data/draws.js';
import { GeneratedUsers } from '../../../../src/providers/datonis/generate.js';
import { type OrganisationUsers, queryUsers } from '../../../../src/providers/datonis/search/indexed-query.js';
import { type ListParams, listUsers } from '../../../../src/providers/datonis/search/query.js';
import { USER_FIELDS, type StoredUser } from '../../../../src/providers/datonis/schemas.js';

/** A piece of a text, as a person might type it to find it. */
function fragment(draws: Draws, text: string): string {
  const start = draws.below(text.length);
  const piece = text.slice(start, start + 1 + draws.below(4));
  return draws.below(2) === 0 ? piece.toUpperCase() : piece;
}

/** An organisation of generated users, some of them changed or deleted, and others added after them (unless `pristine`). */
function organisation(draws: Draws, count: number, pristine: boolean): OrganisationUsers & { others: StoredUser[] } {
  const generated = new GeneratedUsers(draws.below(1000), count);
  const records = generated.records;
  const others: StoredUser[] = [];
  if (pristine) return { generated, others };
  for (let i = 0; i < 12; i++) {
    const index = draws.below(count);
    const user = records.get(index);
    if (!user) continue;
    const donor = records.get(draws.below(count)) ?? user;
    records.set(index, {
      ...user,
      first_name: draws.below(2) ? donor.first_name : `Zed${i}`,
      city: donor.city,
      created_at: donor.created_at,
      ...(draws.below(2) ? { tags: [`plant-${i}`] } : {}),
      ...(draws.below(3) === 0 ? { user_defined_properties: { shift: draws.pick(['night', 'day']) } } : {}),
    });
  }
  for (let i = 0; i < 10; i++) records.delete(draws.below(count));
  for (let i = 0; i < 8; i++) {
    const donor = records.original(draws.below(count));
    others.push({ ...donor, user_key: `added${i}xyz`, last_name: draws.below(2) ? donor.last_name : `Quill${i}`, tags: ['added'] });
  }
  return { generated, others };
}

function randomParams(draws: Draws, users: StoredUser[]): ListParams {
  const someone = draws.pick(users);
  const source = draws.pick([someone.first_name, someone.last_name, someone.user_key, 'plant', 'night', 'zz', 'added', 'a']);
  const search = Array.from({ length: draws.below(3) }, () => fragment(draws, source)).join(draws.pick([' ', '  ', '\t']));
  return {
    search: draws.below(4) === 0 ? undefined : search,
    scope: draws.pick(['all', 'any'] as const),
    orderBy: draws.below(3) === 0 ? undefined : draws.pick(USER_FIELDS),
    order: draws.pick(['asc', 'desc'] as const),
    page: 1 + draws.below(draws.below(2) ? 3 : 40),
    per: 1 + draws.below(draws.below(2) ? 10 : 60),
  };
}

describe('Datonis indexed query', () => {
  it('answers exactly what the plain query answers over the same users, whatever is searched, ordered or paged', () => {
    const draws = new Draws(scopeKey(11, 'indexed-query')).at(0);
    for (let round = 0; round < 6; round++) {
      const users = organisation(draws, 300 + draws.below(300), round % 3 === 0);
      const all = [...users.generated.records.all(), ...users.others];
      for (let i = 0; i < 250; i++) {
        const params = randomParams(draws, all);
        const expected = listUsers(all, params);
        // every way through: indexes always, matches sorted by rank or the field's order walked
        const actual = queryUsers(users, params, { indexFrom: 0, sortMatchesUpTo: draws.pick([0, 10, 1e9]) });
        expect({ params, total: actual.total, keys: actual.users.map((u) => u.user_key) }).toEqual({
          params,
          total: expected.total,
          keys: expected.users.map((u) => u.user_key),
        });
        expect(actual.users).toEqual(expected.users);
      }
    }
  });

  it('reads small organisations whole, with the same answers', () => {
    const users = { generated: new GeneratedUsers(3, 40), others: [] };
    const params: ListParams = { scope: 'all', orderBy: 'last_name', order: 'desc', page: 2, per: 7 };
    expect(queryUsers(users, params)).toEqual(listUsers(users.generated.records.all(), params));
  });
});

describe('Datonis generated users', () => {
  it('come in creation order, each findable by its key, each field computable alone', () => {
    const users = new GeneratedUsers(5, 500);
    const all = users.records.all();
    for (let i = 1; i < all.length; i++) expect(all[i]!.created_at).toBeGreaterThanOrEqual(all[i - 1]!.created_at);
    expect(new Set(all.map((user) => user.user_key)).size).toBe(500);
    for (const [index, user] of all.entries()) {
      expect(user.user_key).toMatch(/^[a-z0-9]{10}$/);
      expect(users.indexOfKey(user.user_key)).toBe(index);
      for (const field of USER_FIELDS) expect(users.field(index, field)).toEqual(user[field]);
    }
  });

  it('are the same for the same seed and count, and differ for another seed', () => {
    expect(new GeneratedUsers(5, 50).records.all()).toEqual(new GeneratedUsers(5, 50).records.all());
    expect(new GeneratedUsers(6, 50).records.all()).not.toEqual(new GeneratedUsers(5, 50).records.all());
  });
});
