import { describe, expect, it } from 'vitest';
import { Draws, scopeKey } from '../../src/data/draws.js';
import { GeneratedRecords } from '../../src/data/generated-records.js';
import { IndexCodec } from '../../src/data/index-codec.js';
import { KeyedRecords } from '../../src/data/keyed-records.js';

describe('Draws', () => {
  it('draws the same for the same (seed, scope, index, stream) and otherwise differs', () => {
    const take = (seed: number, scope: string, index: number, stream = 0) => {
      const draws = new Draws(scopeKey(seed, scope)).at(index, stream);
      return [draws.uint32(), draws.uint32(), draws.uint32()];
    };
    expect(take(1, 'a', 5)).toEqual(take(1, 'a', 5));
    expect(take(1, 'a', 5)).not.toEqual(take(2, 'a', 5));
    expect(take(1, 'a', 5)).not.toEqual(take(1, 'b', 5));
    expect(take(1, 'a', 5)).not.toEqual(take(1, 'a', 6));
    expect(take(1, 'a', 5)).not.toEqual(take(1, 'a', 5, 1));
  });

  it('stays within bounds', () => {
    const draws = new Draws(scopeKey(3, 'bounds')).at(0);
    for (let i = 0; i < 10_000; i++) {
      const below = draws.below(7);
      expect(below >= 0 && below < 7 && Number.isInteger(below)).toBe(true);
      const big = draws.below(3e11);
      expect(big >= 0 && big < 3e11 && Number.isInteger(big)).toBe(true);
      const unit = draws.float();
      expect(unit >= 0 && unit < 1).toBe(true);
    }
  });
});

describe('IndexCodec', () => {
  const codec = new IndexCodec('abcdefghijklmnopqrstuvwxyz0123456789', 10, 12345);

  it('gives each index its own code of the alphabet and the length, and reads it back', () => {
    const codes = new Set<string>();
    for (const index of [0, 1, 2, 999, 123_456, 999_999, 2_000_000, codec.capacity - 1]) {
      const code = codec.encode(index);
      expect(code).toMatch(/^[a-z0-9]{10}$/);
      expect(codec.decode(code)).toBe(index);
      codes.add(code);
    }
    expect(codes.size).toBe(8);
    for (let index = 0; index < 20_000; index++) codes.add(codec.encode(index));
    expect(codes.size).toBe(8 + 20_000 - 4);
  });

  it('reads text of another length or alphabet as no code', () => {
    expect(codec.decode('abc')).toBeUndefined();
    expect(codec.decode('ABCDEFGHIJ')).toBeUndefined();
    expect(codec.decode('abcdefghi-')).toBeUndefined();
  });

  it('codes differently for another key', () => {
    expect(new IndexCodec('0123456789abcdef', 10, 1).encode(42)).not.toBe(new IndexCodec('0123456789abcdef', 10, 2).encode(42));
  });
});

/** A record of the tests below: its key is its index, written out. */
interface Row {
  key: string;
  value: string;
}

const codeOf = (index: number) => `g${index}`;

function rows(count: number) {
  return new GeneratedRecords<Row>(count, (index) => ({ key: codeOf(index), value: `v${index}` }), 8);
}

function keyed(count: number) {
  return new KeyedRecords<Row>(
    [
      { key: 'f0', value: 'fixture' },
      { key: 'f1', value: 'fixture' },
    ],
    rows(count),
    (row) => row.key,
    (key) => (/^g\d+$/.test(key) ? Number(key.slice(1)) : undefined),
  );
}

describe('GeneratedRecords', () => {
  it('reads, changes and deletes records by index, keeping the order', () => {
    const records = rows(10);
    expect(records.size).toBe(10);
    expect(records.get(3)).toEqual({ key: 'g3', value: 'v3' });
    expect(records.get(10)).toBeUndefined();
    expect(records.set(3, { key: 'g3', value: 'changed' })).toBe(true);
    expect(records.delete(0)).toBe(true);
    expect(records.delete(0)).toBe(false);
    expect(records.delete(7)).toBe(true);
    expect(records.size).toBe(8);
    expect(records.all().map((row) => row.value)).toEqual(['v1', 'v2', 'changed', 'v4', 'v5', 'v6', 'v8', 'v9']);
    expect(records.slice(2, 3).map((row) => row.key)).toEqual(['g3', 'g4', 'g5']);
    expect(records.nth(6)).toBe(8);
    expect(records.original(3).value).toBe('v3');
  });
});

describe('KeyedRecords', () => {
  it('behaves as a Map of the same records, under random changes', () => {
    const draws = new Draws(scopeKey(1, 'keyed')).at(0);
    const records = keyed(40);
    const reference = new Map<string, Row>();
    for (const row of records.values()) reference.set(row.key, row);
    expect(reference.size).toBe(42);
    for (let step = 0; step < 2000; step++) {
      const key = draws.pick(['f0', 'f1', 'x1', 'x2', codeOf(draws.below(45))]);
      const value = `s${step}`;
      switch (draws.below(4)) {
        case 0:
          expect(records.get(key)).toEqual(reference.get(key));
          break;
        case 1: {
          const added = records.add({ key, value });
          expect(added).toBe(!reference.has(key));
          if (added) reference.set(key, { key, value });
          break;
        }
        case 2: {
          const replaced = records.replace(key, { key, value });
          expect(replaced).toBe(reference.has(key));
          if (replaced) reference.set(key, { key, value });
          break;
        }
        default:
          expect(records.delete(key)).toBe(reference.delete(key));
      }
      if (step % 97 === 0) {
        expect(records.size).toBe(reference.size);
        expect(records.values()).toEqual([...reference.values()]);
        const start = draws.below(reference.size + 2);
        expect(records.slice(start, 5)).toEqual([...reference.values()].slice(start, start + 5));
      }
    }
  });
});
