import { LRUCache } from 'lru-cache';
import { countBits, intersectCounting, setBit, unionCounting } from './bitset.js';
import { ENGLISH } from '../../../data/generator.js';
import { type GeneratedUsers, USER_KEY_ALPHABET as KEY_ALPHABET, USER_KEY_LENGTH as KEY_LENGTH } from '../generate.js';

const CODE = new Map([...KEY_ALPHABET].map((char, i) => [char, i]));
/** The match sets of this many keywords are kept, the least recently used dropped first. */
const KEPT_KEYWORDS = 256;
/** The results of this many searches of two or more keywords are kept, the least recently used dropped first. */
const KEPT_SEARCHES = 32;

/** Users that a search matches, and how many. */
export interface Matches {
  readonly set: Uint32Array;
  readonly count: number;
}

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
 * Folded names joined by line breaks, searched with one indexOf per match rather than one includes
 * per name (a keyword holds no white space, so no match spans two names).
 */
class NameList {
  private readonly text: string;
  private readonly starts: number[] = [];

  constructor(names: readonly string[]) {
    let at = 0;
    for (const name of names) {
      this.starts.push(at);
      at += name.length + 1;
    }
    this.text = names.map((name) => name.toLowerCase()).join('\n');
    if (this.text.length !== at - 1 && names.length > 0) {
      // folding changed a length: positions are worked out from the folded names instead
      this.starts = [];
      let from = 0;
      for (const name of names) {
        this.starts.push(from);
        from += name.toLowerCase().length + 1;
      }
    }
  }

  /** Calls `found` with the position of every name that holds the keyword, once each. */
  forEachHolding(keyword: string, found: (value: number) => void): void {
    let from = 0;
    for (;;) {
      const at = this.text.indexOf(keyword, from);
      if (at === -1) return;
      let low = 0;
      let high = this.starts.length;
      while (high - low > 1) {
        const middle = (low + high) >>> 1;
        if (this.starts[middle]! <= at) low = middle;
        else high = middle;
      }
      found(low);
      from = this.starts[low + 1] ?? this.text.length;
    }
  }
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
  private readonly firstNameList = new NameList(ENGLISH.firstNames);
  private readonly lastNameList = new NameList(ENGLISH.lastNames);
  private readonly byCharacter: Uint32Array[];
  private readonly byPair: Postings;
  /** Each user's key as positions in KEY_ALPHABET, KEY_LENGTH per user. */
  private readonly codes: Uint8Array;
  /** Keyword to its match set and count: generated users never change, so neither do their matches. */
  private readonly kept = new LRUCache<string, Matches>({ max: KEPT_KEYWORDS });
  /** A search's scope and keywords to its result: the next page of a search, or a search asked again, reads it. */
  private readonly searches = new LRUCache<string, Matches>({ max: KEPT_SEARCHES });
  private readonly combined: Uint32Array;

  constructor(private readonly users: GeneratedUsers) {
    const n = users.count;
    const first = new Uint16Array(n);
    const last = new Uint16Array(n);
    for (let i = 0; i < n; i++) [first[i], last[i]] = users.nameIndexes(i);
    this.firstNames = postings(ENGLISH.firstNames.length, n, (i, emit) => emit(first[i]!));
    this.lastNames = postings(ENGLISH.lastNames.length, n, (i, emit) => emit(last[i]!));

    const codes = new Uint8Array(n * KEY_LENGTH);
    this.codes = codes;
    const words = Math.ceil(n / 32);
    this.combined = new Uint32Array(words);
    this.byCharacter = Array.from({ length: KEY_ALPHABET.length }, () => new Uint32Array(words));
    for (let i = 0; i < n; i++) {
      users.userKeyInto(i, codes, i * KEY_LENGTH);
      for (let c = 0; c < KEY_LENGTH; c++) setBit(this.byCharacter[codes[i * KEY_LENGTH + c]!]!, i);
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

  /**
   * The generated users whose user_key, first or last name holds `keyword` (folded), as a set that
   * is kept (the caller must not change it) with its count: a keyword searched again, or the next
   * page of the same search, reads neither the postings nor the set again.
   */
  matches(keyword: string): Matches {
    let found = this.kept.get(keyword);
    if (!found) {
      const set = new Uint32Array(this.combined.length);
      this.matchInto(keyword, set);
      found = { set, count: countBits(set) };
      this.kept.set(keyword, found);
    }
    return found;
  }

  /**
   * The users that hold every keyword (`all`) or any, and how many. The set is kept, or reused at
   * this index's next call: the caller reads it before asking again, and changes it only if it
   * asked for a `writable` one.
   */
  combine(keywords: readonly string[], scope: 'all' | 'any', writable = false): Matches {
    const found = keywords.length === 1 ? this.matches(keywords[0]!) : this.search(keywords, scope);
    if (!writable) return found;
    this.combined.set(found.set);
    return { set: this.combined, count: found.count };
  }

  /** The kept result of a search, made the first time it is asked: the sets combined and counted in one pass. */
  private search(keywords: readonly string[], scope: 'all' | 'any'): Matches {
    const key = `${scope}\u0000${keywords.join('\u0000')}`;
    let found = this.searches.get(key);
    if (!found) {
      const set = new Uint32Array(this.combined.length);
      const [first, ...rest] = keywords.map((keyword) => this.matches(keyword).set);
      let count = 0;
      let from = first ?? set;
      for (const next of rest) {
        count = scope === 'all' ? intersectCounting(set, from, next) : unionCounting(set, from, next);
        from = set;
      }
      found = { set, count };
      this.searches.set(key, found);
    }
    return found;
  }

  private keyHolds(user: number, keyword: readonly number[]): boolean {
    const start = user * KEY_LENGTH;
    for (let at = 0; at + keyword.length <= KEY_LENGTH; at++) {
      let same = true;
      for (let c = 0; c < keyword.length && same; c++) same = this.codes[start + at + c] === keyword[c];
      if (same) return true;
    }
    return false;
  }

  /** Adds to `out` every generated user whose user_key, first or last name holds `keyword` (folded). */
  private matchInto(keyword: string, out: Uint32Array): void {
    this.firstNameList.forEachHolding(keyword, (value) => markAll(this.firstNames, value, out));
    this.lastNameList.forEachHolding(keyword, (value) => markAll(this.lastNames, value, out));
    if (keyword.length > KEY_LENGTH || ![...keyword].every((char) => CODE.has(char))) return;
    const positions = [...keyword].map((char) => CODE.get(char)!);
    if (keyword.length === 1) {
      const users = this.byCharacter[positions[0]!]!;
      for (let w = 0; w < out.length; w++) out[w]! |= users[w]!;
      return;
    }
    const size = KEY_ALPHABET.length;
    const { offsets, items } = this.byPair;
    const pairs = [...new Set(positions.slice(1).map((position, c) => positions[c]! * size + position))].sort(
      (a, b) => offsets[a + 1]! - offsets[a]! - (offsets[b + 1]! - offsets[b]!),
    );
    const [rarest, next] = pairs as [number, number | undefined];
    if (next === undefined) {
      // one pair: its users are exactly those whose key holds the keyword when it is that pair
      for (let k = offsets[rarest]!; k < offsets[rarest + 1]!; k++) {
        const user = items[k]!;
        if (positions.length === 2 || this.keyHolds(user, positions)) setBit(out, user);
      }
      return;
    }
    // users holding the two rarest pairs (both lists ascending), each then checked in full
    let j = offsets[next]!;
    const last = offsets[next + 1]!;
    for (let k = offsets[rarest]!; k < offsets[rarest + 1]! && j < last; k++) {
      const user = items[k]!;
      while (j < last && items[j]! < user) j++;
      if (j < last && items[j] === user && this.keyHolds(user, positions)) setBit(out, user);
    }
  }
}
