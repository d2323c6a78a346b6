import { describe, expect, it } from 'vitest';
import { LOWER_HEX } from '../../src/data/generator.js';
import { SeededAccounts, type SeededAccountKind, SeededFill } from '../../src/data/seeded-accounts.js';

interface Account {
  key: string;
  name: string;
  index: number;
}

const KIND: SeededAccountKind<Account> = {
  scope: 'seeded-accounts-test',
  alphabet: LOWER_HEX,
  keyLength: 24,
  codeLength: 8,
  keyName: 'key',
  keyOf: (account) => account.key,
  draw: (generator, index, key) => ({ name: generator.company(), key: key(), index }),
};

describe('SeededAccounts', () => {
  it('finds an account by its credential alone: the credential codes its index', () => {
    const seeded = new SeededAccounts(KIND, 3);
    for (const index of [0, 1, 17, 4095, 999_999]) {
      const account = seeded.at(index);
      expect(account.key).toHaveLength(24);
      expect(account.key).toMatch(/^[0-9a-f]+$/);
      expect(seeded.indexOf(account.key)).toBe(index);
    }
    expect(seeded.indexOf('too-short')).toBeUndefined();
  });

  it('gives the same account for the same seed and index, another for another seed', () => {
    expect(new SeededAccounts(KIND, 3).at(42)).toEqual(new SeededAccounts(KIND, 3).at(42));
    expect(new SeededAccounts(KIND, 4).at(42).key).not.toBe(new SeededAccounts(KIND, 3).at(42).key);
  });

  it('stores the fixed accounts first, then the generated ones, each found by its credential', () => {
    const seeded = new SeededAccounts(KIND, 3);
    const fixed = { key: 'documented', name: 'Documented', index: -1 };
    const records = seeded.stored([fixed], 10);
    expect(records.size).toBe(11);
    expect(records.get('documented')).toBe(fixed);
    expect(records.get(seeded.at(9).key)).toEqual(seeded.at(9));
    expect(records.get(seeded.at(10).key)).toBeUndefined();
  });
});

describe('SeededFill', () => {
  it('fills in the records after the generated ones, so that generating more would have given the same', () => {
    const seeded = new SeededAccounts(KIND, 3);
    const fill = new SeededFill(10);
    const filled = [fill.next((index) => seeded.at(index)), fill.next((index) => seeded.at(index))];
    expect(filled).toEqual([seeded.at(10), seeded.at(11)]);
  });
});
