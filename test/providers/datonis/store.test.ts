import { describe, expect, it } from 'vitest';
import { DatonisStore } from '../../../src/providers/datonis/store.js';
import { storeContext } from '../../helpers.js';

describe('DatonisStore', () => {
  it('finds each documented organisation by its token', () => {
    const store = new DatonisStore(storeContext(1, 10));
    for (const organisation of store.listOrganisations()) {
      for (const token of organisation.tokens) expect(store.findByToken(token)).toBe(organisation);
    }
  });

  it('fills a new user from the next seeded one, found by its key, and a reset forgets it', () => {
    const store = new DatonisStore(storeContext(1, 10));
    const organisation = store.listOrganisations().find((candidate) => candidate.generated_users)!;
    const added = store.addUser(organisation, { first_name: 'Given' });
    expect(added.first_name).toBe('Given');
    expect(store.findUser(organisation, added.user_key)).toEqual(added);
    const again = new DatonisStore(storeContext(1, 10));
    const same = again.addUser(again.findOrganisation(organisation.organisation_key)!, { first_name: 'Given' });
    expect(same.user_key).toBe(added.user_key);
    store.reset();
    expect(store.findUser(store.findOrganisation(organisation.organisation_key)!, added.user_key)).toBeUndefined();
  });
});
