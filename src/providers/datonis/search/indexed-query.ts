import { assignBit, bitsetWords, hasBit, members, membersFrom, setBit } from './bitset.js';
import type { GeneratedUsers } from '../generate.js';
import { type ListParams, type ListResult, compare, keywords, listUsers, matches } from './query.js';
import { type Matches, SearchIndex } from './search-index.js';
import { SortIndex } from './sort-index.js';
import type { StoredUser } from '../schemas.js';

interface Tuning {
  /** Below this many generated users, a query reads them all as listUsers does. */
  indexFrom: number;
  /**
   * Up to this many matches, a search ordered by a field sorts its matches by their rank in the
   * field's order; above, it walks that order. Unset: whichever is cheaper for the page asked.
   */
  sortMatchesUpTo?: number;
}

/** The indexes serve every organisation with generated users: built in microseconds for a few, they answer faster than reading them all. */
const TUNING: Tuning = { indexFrom: 1 };

/** Sorting the matches costs about count × log2(count); walking the order to the page, (page end) × users ÷ matches. */
function sortsMatches(count: number, users: number, pageEnd: number, tuning: Tuning): boolean {
  if (tuning.sortMatchesUpTo !== undefined) return count <= tuning.sortMatchesUpTo;
  return count * Math.log2(count + 2) * 2 < (pageEnd * users) / Math.max(1, count);
}

/** An organisation's users: the generated ones first, then the others (documented, added), in creation order. */
export interface OrganisationUsers {
  generated: GeneratedUsers;
  others: readonly StoredUser[];
}

const searchIndexes = new WeakMap<GeneratedUsers, SearchIndex>();
const sortIndexes = new WeakMap<GeneratedUsers, SortIndex>();

/** The organisation's index of this kind, built on first use and kept while its users live. */
function keptIndex<T>(kept: WeakMap<GeneratedUsers, T>, users: GeneratedUsers, build: (users: GeneratedUsers) => T): T {
  let index = kept.get(users);
  if (!index) {
    index = build(users);
    kept.set(users, index);
  }
  return index;
}

const searchIndexOf = (users: GeneratedUsers) => keptIndex(searchIndexes, users, (of) => new SearchIndex(of));
const sortIndexOf = (users: GeneratedUsers) => keptIndex(sortIndexes, users, (of) => new SortIndex(of));

/**
 * The generated users, as generated, that the keywords match (every keyword, or any), and how many:
 * read it before the next query, and change it only if `writable`.
 */
function matchGenerated(users: GeneratedUsers, words: string[], scope: 'all' | 'any', writable: boolean): Matches {
  return searchIndexOf(users).combine(words, scope, writable);
}

/** A user beside the generated order: a changed generated one (at its index) or another (after them all). */
interface Extra {
  user: StoredUser;
  position: number;
  value: unknown;
}

/**
 * The generated users in the order asked for, less those set aside: either an array to read as is,
 * or the field's whole order walked with a filter.
 */
interface Stream {
  order: Int32Array;
  keep?: (index: number) => boolean;
  /** Its length when known without walking. */
  length: number;
}

/**
 * Search, order and page an organisation's users exactly as listUsers does over the same list, with
 * the generated users read from indexes: per-field orders built once, keyword matches read from
 * postings. Changed generated users and the others are few; they are matched and ordered one by
 * one and merged in.
 */
export function queryUsers(users: OrganisationUsers, params: ListParams, tuning: Tuning = TUNING): ListResult {
  const { generated, others } = users;
  const records = generated.records;
  if (records.count < tuning.indexFrom) return listUsers([...records.all(), ...others], params);

  const words = keywords(params.search);
  const start = (params.page - 1) * params.per;
  const matchesOther = (user: StoredUser) => words.length === 0 || matches(user, words, params.scope);
  const changed = records.changedIndexes();
  const deleted = records.deletedIndexes();
  const writable = changed.length + deleted.length > 0;
  const found = words.length > 0 ? matchGenerated(generated, words, params.scope, writable) : undefined;
  const matched = found?.set;
  // follows every bit that flips below, so the set is never counted again
  let matchedCount = found?.count ?? 0;

  if (params.orderBy === undefined) {
    if (matched) {
      for (const index of changed) matchedCount += assignBit(matched, index, matchesOther(records.get(index)!));
      for (const index of deleted) matchedCount += assignBit(matched, index, false);
    }
    const generatedTotal = matched ? matchedCount : records.size;
    const rest = others.filter(matchesOther);
    const total = generatedTotal + rest.length;
    /** Users from the `from`-th, in creation order. */
    const take = (from: number, count: number): StoredUser[] => {
      const out: StoredUser[] = [];
      if (from < generatedTotal) {
        if (matched) for (const index of membersFrom(matched, from, count)) out.push(records.get(index)!);
        else out.push(...records.slice(from, count));
      }
      const skip = Math.max(0, from - generatedTotal);
      out.push(...rest.slice(skip, skip + count - out.length));
      return out;
    };
    if (params.order === 'desc') {
      const end = total - start;
      if (end <= 0) return { total, users: [] };
      const from = Math.max(0, end - params.per);
      return { total, users: take(from, end - from).reverse() };
    }
    return { total, users: start >= total ? [] : take(start, params.per) };
  }

  const field = params.orderBy;
  const direction = params.order === 'desc' ? -1 : 1;
  const order = sortIndexOf(generated).order(field);
  const sequence = direction === 1 ? order.ascending : order.descending();
  for (const index of [...changed, ...deleted]) if (matched) matchedCount += assignBit(matched, index, false);

  const extras: Extra[] = [
    ...changed.map((index) => ({ user: records.get(index)!, position: index })),
    ...others.map((user, j) => ({ user, position: records.count + j })),
  ]
    .filter((extra) => matchesOther(extra.user))
    .map((extra) => ({ ...extra, value: extra.user[field] }))
    .sort((a, b) => direction * compare(a.value, b.value) || a.position - b.position);

  let stream: Stream;
  if (matched) {
    const count = matchedCount;
    if (sortsMatches(count, records.count, start + params.per, tuning)) {
      const rank = order.rank(direction);
      const ranks = members(matched, count).map((index) => rank[index]!).sort();
      stream = { order: ranks.map((position) => sequence[position]!), length: count };
    } else {
      stream = { order: sequence, keep: (index) => hasBit(matched, index), length: count };
    }
  } else if (changed.length + deleted.length > 0) {
    const aside = new Uint32Array(bitsetWords(records.count));
    for (const index of [...changed, ...deleted]) setBit(aside, index);
    stream = { order: sequence, keep: (index) => !hasBit(aside, index), length: records.size - changed.length };
  } else {
    stream = { order: sequence, length: records.count };
  }

  const total = stream.length + extras.length;
  if (start >= total) return { total, users: [] };
  const before = (index: number, extra: Extra) => {
    const c = direction * compare(generated.field(index, field), extra.value);
    return c < 0 || (c === 0 && index < extra.position);
  };
  const out: StoredUser[] = [];
  const end = Math.min(total, start + params.per);

  if (!stream.keep) {
    // an array: where each extra falls in it is found by bisection
    let read = 0;
    let merged = 0;
    const emitGenerated = (upTo: number) => {
      if (merged < start) {
        const skip = Math.min(upTo - read, start - merged);
        read += skip;
        merged += skip;
      }
      while (read < upTo && merged < end) {
        out.push(records.get(stream.order[read]!)!);
        read++;
        merged++;
      }
    };
    for (const extra of extras) {
      if (merged >= end) break;
      let low = read;
      let high = stream.order.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (before(stream.order[middle]!, extra)) low = middle + 1;
        else high = middle;
      }
      emitGenerated(low);
      if (merged >= end) break;
      if (merged >= start) out.push(extra.user);
      merged++;
    }
    emitGenerated(stream.order.length);
    return { total, users: out };
  }

  let merged = 0;
  let next = 0;
  for (let k = 0; k < stream.order.length && merged < end; k++) {
    const index = stream.order[k]!;
    if (!stream.keep(index)) continue;
    while (next < extras.length && !before(index, extras[next]!) && merged < end) {
      if (merged >= start) out.push(extras[next]!.user);
      merged++;
      next++;
    }
    if (merged >= end) break;
    if (merged >= start) out.push(records.get(index)!);
    merged++;
  }
  for (; next < extras.length && merged < end; next++, merged++) if (merged >= start) out.push(extras[next]!.user);
  return { total, users: out };
}
