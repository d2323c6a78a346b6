import { radixPermutation } from './radix-sort.js';
import type { GeneratedUsers } from '../generate.js';
import { compare, sortKey } from './query.js';
import type { StoredUser } from '../schemas.js';

/** Characters of folded text that the radix key holds; longer texts that tie on them are compared in full. */
const KEY_CHARACTERS = 16;

/** The generated users of one organisation in the order of one field, as `compare` orders them. */
interface FieldOrder {
  /** Indexes, ascending by the field; equal values by index, as a stable sort leaves them. */
  readonly ascending: Int32Array;
  /** Indexes, descending by the field; equal values still by index (a stable sort with the comparison reversed). */
  descending(): Int32Array;
  /** rank[i]: where index i stands in that order. */
  rank(direction: 1 | -1): Int32Array;
}

function numberKeys(values: readonly number[]): Uint32Array[] | undefined {
  const high = new Uint32Array(values.length);
  const low = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (!Number.isSafeInteger(value) || value < 0) return undefined;
    high[i] = Math.floor(value / 2 ** 32);
    low[i] = value >>> 0;
  }
  return [high, low];
}

/**
 * Folded text as KEY_CHARACTERS bytes, most significant first: each character as its code plus one
 * (codes from 254 up share 255), so the bytes order texts as their folded forms are ordered, and
 * a shorter text (padded with 0) before every longer one it begins.
 */
function textKeys(values: readonly string[]): Uint32Array[] {
  const words = Array.from({ length: KEY_CHARACTERS / 4 }, () => new Uint32Array(values.length));
  for (let i = 0; i < values.length; i++) {
    const folded = values[i]!.toLowerCase();
    for (let w = 0; w < words.length; w++) {
      let word = 0;
      for (let c = 0; c < 4; c++) {
        const at = w * 4 + c;
        const byte = at < folded.length ? Math.min(folded.charCodeAt(at) + 1, 255) : 0;
        word = word * 256 + byte;
      }
      words[w]![i] = word;
    }
  }
  return words;
}

function sameKey(keys: readonly Uint32Array[], a: number, b: number): boolean {
  for (const key of keys) if (key[a] !== key[b]) return false;
  return true;
}

/** Items whose radix keys tie are put in full `compare` order, then index order. */
function settleTies(order: Int32Array, keys: readonly Uint32Array[], values: readonly (number | string)[]): void {
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && sameKey(keys, order[start]!, order[end]!)) end++;
    if (end - start > 1) {
      const first = values[order[start]!];
      let identical = true;
      for (let k = start + 1; k < end && identical; k++) identical = values[order[k]!] === first;
      if (!identical) {
        const run = Array.from(order.subarray(start, end)).sort((a, b) => compare(values[a], values[b]) || a - b);
        order.set(run, start);
      }
    }
    start = end;
  }
}

/** Descending: the runs of equal values in reverse order, each run kept in index order. */
function descendingOf(ascending: Int32Array, values: readonly (number | string)[]): Int32Array {
  const out = new Int32Array(ascending.length);
  let at = 0;
  let end = ascending.length;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && values[ascending[start - 1]!] === values[ascending[start]!]) start--;
    out.set(ascending.subarray(start, end), at);
    at += end - start;
    end = start;
  }
  return out;
}

function rankOf(order: Int32Array): Int32Array {
  const rank = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) rank[order[k]!] = k;
  return rank;
}

/**
 * The orders of an organisation's generated users by each field, built the first time a field is
 * asked for (a few linear passes over the users: no comparison sort of them all) and kept: the
 * generated users never change, changed and deleted ones are set aside by the query.
 */
export class SortIndex {
  private readonly orders = new Map<keyof StoredUser, FieldOrder>();

  constructor(private readonly users: GeneratedUsers) {}

  order(field: keyof StoredUser): FieldOrder {
    let order = this.orders.get(field);
    if (!order) {
      order = this.build(field);
      this.orders.set(field, order);
    }
    return order;
  }

  private build(field: keyof StoredUser): FieldOrder {
    const n = this.users.count;
    const values: (number | string)[] = new Array(n);
    let numeric = true;
    for (let i = 0; i < n; i++) {
      const value = sortKey(this.users.field(i, field));
      values[i] = value;
      if (typeof value !== 'number') numeric = false;
    }
    const numbers = numeric ? numberKeys(values as number[]) : undefined;
    let ascending: Int32Array;
    const comparable = numeric ? values : values.map(String);
    if (numbers) {
      ascending = radixPermutation(n, numbers);
    } else if (numeric) {
      // numbers a 64-bit key cannot hold (negative, fractional, huge): compared one by one
      ascending = Int32Array.from(Array.from({ length: n }, (_, i) => i).sort((a, b) => compare(values[a], values[b]) || a - b));
    } else {
      const keys = textKeys(comparable as string[]);
      ascending = radixPermutation(n, keys);
      settleTies(ascending, keys, comparable);
    }
    return fieldOrder(ascending, descendingOf(ascending, comparable));
  }
}

/**
 * Made outside `build`, whose scope holds every user's value of the field: closures made there
 * would share that scope and keep the values (tens of MB at a million users) for as long as the order.
 */
function fieldOrder(ascending: Int32Array, descending: Int32Array): FieldOrder {
  const ranks = new Map<1 | -1, Int32Array>();
  return {
    ascending,
    descending: () => descending,
    rank(direction) {
      let rank = ranks.get(direction);
      if (!rank) {
        rank = rankOf(direction === 1 ? ascending : descending);
        ranks.set(direction, rank);
      }
      return rank;
    },
  };
}
