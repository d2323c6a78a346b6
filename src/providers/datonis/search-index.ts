import { setBit } from '../../core/bitset.js';
import { WORDS } from '../../core/words.js';
import type { GeneratedUsers } from './generate.js';

/** The characters of generated user keys. */
const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 10;
const CODE = new Map([...KEY_ALPHABET].map((char, i) => [char, i]));

/** Ascending lists of user indexes per value (compressed: one offsets array, one items array). */
interface Postings {
  offsets: Int32Array;
  items: Int32Array;
}

function postings(values: number, count: number, valuesOf: (index: number, emit: (value: number) => void) => void): Postings {
  const offsets = new Int32Array(values + 1);
  for (let i = 0; i < count; i++) valuesOf(i, (value) => offsets[value + 1]!++);
  for (let v = 0; v < values; v++) offsets[v + 1]! += offsets[v]!;
  const items = new Int32Array(offsets[values]!);
  const fill = offsets.slice(0, values);
  for (let i = 0; i < count; i++) valuesOf(i, (value) => (items[fill[value]!++] = i));
  return { offsets, items };
}

function markAll(list: Postings, value: number, out: Uint32Array): void {
  for (let k = list.offsets[value]!; k < list.offsets[value + 1]!; k++) setBit(out, list.items[k]!);
}

/**
 * What a search keyword is matched against in an organisation's generated users (user_key, first
 * and last name; generated users have no tags or properties), indexed so that a keyword costs the
 * users it matches, not a scan of them all:
 * - names come from faker's lists, so a keyword is matched against each listed name once, and the
 *   users of every matching name are read from per-name postings;
 * - keys: a one-character keyword reads a ready set of the users whose key holds that character;
 *   a longer one reads the users whose key holds its rarest two-character part, then checks each.
 */
export class SearchIndex {
  private readonly firstNames: Postings;
  private readonly lastNames: Postings;
  private readonly foldedFirst = WORDS.firstNames.map((name) => name.toLowerCase());
  private readonly foldedLast = WORDS.lastNames.map((name) => name.toLowerCase());
  private readonly byCharacter: Uint32Array[];
  private readonly byPair: Postings;

  constructor(private readonly users: GeneratedUsers) {
    const n = users.count;
    const first = new Uint16Array(n);
    const last = new Uint16Array(n);
    for (let i = 0; i < n; i++) [first[i], last[i]] = users.nameIndexes(i);
    this.firstNames = postings(WORDS.firstNames.length, n, (i, emit) => emit(first[i]!));
    this.lastNames = postings(WORDS.lastNames.length, n, (i, emit) => emit(last[i]!));

    const codes = new Uint8Array(n * KEY_LENGTH);
    const words = Math.ceil(n / 32);
    this.byCharacter = Array.from({ length: KEY_ALPHABET.length }, () => new Uint32Array(words));
    for (let i = 0; i < n; i++) {
      const key = users.userKey(i);
      for (let c = 0; c < KEY_LENGTH; c++) {
        const code = CODE.get(key[c]!)!;
        codes[i * KEY_LENGTH + c] = code;
        setBit(this.byCharacter[code]!, i);
      }
    }
    const size = KEY_ALPHABET.length;
    const pairAt = (at: number) => codes[at]! * size + codes[at + 1]!;
    this.byPair = postings(size * size, n, (i, emit) => {
      const start = i * KEY_LENGTH;
      for (let c = 0; c + 1 < KEY_LENGTH; c++) {
        const pair = pairAt(start + c);
        let repeated = false;
        for (let d = 0; d < c && !repeated; d++) repeated = pairAt(start + d) === pair;
        if (!repeated) emit(pair);
      }
    });
  }

  /** Adds to `out` every generated user whose user_key, first or last name holds `keyword` (folded). */
  matchInto(keyword: string, out: Uint32Array): void {
    this.foldedFirst.forEach((name, value) => {
      if (name.includes(keyword)) markAll(this.firstNames, value, out);
    });
    this.foldedLast.forEach((name, value) => {
      if (name.includes(keyword)) markAll(this.lastNames, value, out);
    });
    if (keyword.length > KEY_LENGTH || ![...keyword].every((char) => CODE.has(char))) return;
    if (keyword.length === 1) {
      const users = this.byCharacter[CODE.get(keyword)!]!;
      for (let w = 0; w < out.length; w++) out[w]! |= users[w]!;
      return;
    }
    let rarest = -1;
    for (let c = 0; c + 1 < keyword.length; c++) {
      const pair = CODE.get(keyword[c]!)! * KEY_ALPHABET.length + CODE.get(keyword[c + 1]!)!;
      const size = this.byPair.offsets[pair + 1]! - this.byPair.offsets[pair]!;
      if (rarest === -1 || size < this.byPair.offsets[rarest + 1]! - this.byPair.offsets[rarest]!) rarest = pair;
    }
    for (let k = this.byPair.offsets[rarest]!; k < this.byPair.offsets[rarest + 1]!; k++) {
      const user = this.byPair.items[k]!;
      if (keyword.length === 2 || this.users.userKey(user).includes(keyword)) setBit(out, user);
    }
  }
}
