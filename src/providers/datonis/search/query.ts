import type { StoredUser } from '../schemas.js';

export interface ListParams {
  search?: string;
  scope: 'all' | 'any';
  orderBy?: keyof StoredUser;
  order: 'asc' | 'desc';
  page: number;
  per: number;
}

export interface ListResult {
  total: number;
  users: StoredUser[];
}

const haystacks = new WeakMap<StoredUser, string>();

/** What a search keyword is matched against: user_key, name, tags and user-defined properties. */
function haystack(user: StoredUser): string {
  let text = haystacks.get(user);
  if (text === undefined) {
    const tags = user.tags ?? [];
    const properties = Object.entries(user.user_defined_properties ?? {}).flat();
    text = [user.user_key, user.first_name, user.last_name, ...tags, ...properties].join('\n').toLowerCase();
    haystacks.set(user, text);
  }
  return text;
}

export function keywords(search: string | undefined): string[] {
  return (search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
}

export function matches(user: StoredUser, words: string[], scope: 'all' | 'any'): boolean {
  const text = haystack(user);
  return scope === 'all' ? words.every((word) => text.includes(word)) : words.some((word) => text.includes(word));
}

export function sortKey(value: unknown): number | string {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.join(' ');
  if (value && typeof value === 'object') return JSON.stringify(value);
  return String(value ?? '');
}

/** Case-insensitive, then by code point: the same order on every machine, whatever its locale. */
export function compare(a: unknown, b: unknown): number {
  const x = sortKey(a);
  const y = sortKey(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const xs = String(x);
  const ys = String(y);
  const folded = xs.toLowerCase() < ys.toLowerCase() ? -1 : xs.toLowerCase() > ys.toLowerCase() ? 1 : 0;
  return folded !== 0 ? folded : xs < ys ? -1 : xs > ys ? 1 : 0;
}

/** Search, order and page an organisation's users (kept in creation order). */
export function listUsers(users: readonly StoredUser[], params: ListParams): ListResult {
  const words = keywords(params.search);
  let selected = words.length > 0 ? users.filter((user) => matches(user, words, params.scope)) : [...users];
  const direction = params.order === 'desc' ? -1 : 1;
  if (params.orderBy !== undefined) {
    const field = params.orderBy;
    selected = selected.sort((a, b) => direction * compare(a[field], b[field]));
  } else if (direction === -1) {
    selected.reverse();
  }
  const start = (params.page - 1) * params.per;
  return { total: selected.length, users: selected.slice(start, start + params.per) };
}
