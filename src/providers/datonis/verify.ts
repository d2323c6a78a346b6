import { Type } from '@sinclair/typebox';
import type { Check } from '../../verify/checks.js';
import { UnexpectedAnswer } from '../../verify/http.js';
import { type Call, type Verification, okJson } from '../../verify/verification.js';
import { type StoredUser, StoredUserSchema, type UsersResponse } from './schemas.js';
import { compare } from './search/query.js';

const authorize = (credential: string) => ({ 'X-Auth-Token': credential });

/** Datonis's largest page. */
const MAX_PER = 1000;
/** Pages read to check paging: their union covers the account when it has up to 3 × MAX_PER users. */
const PAGES = 3;
/** Users per page when recording. */
const RECORD_PER = 100;

async function page(call: Call, credential: string, query: string): Promise<UsersResponse> {
  const request = { url: `/api/v3/users?${query}`, headers: authorize(credential) };
  const body = okJson(await call(request), request) as UsersResponse;
  if (!Number.isInteger(body.total_count) || !Array.isArray(body.users)) {
    throw new UnexpectedAnswer(`GET /api/v3/users?${query} answered no total_count and users`);
  }
  return body;
}

function rule(name: string, holds: boolean, pointer: string, expected: string, actual: string): Check {
  return holds
    ? { case: 'paging and order', check: name, result: 'pass' }
    : { case: 'paging and order', check: name, result: 'drift', kind: 'semantics', pointer, expected, actual };
}

/**
 * Paging, search and order on the account's own users, read-only (8 requests): `total_count` the
 * same on every page, each page `per` users until the last (the page past the last empty), pages
 * that share no user and together hold `total_count`, a search for a user's key finding it, and
 * `order_by=first_name` in both orders.
 */
async function semantics(call: Call, credential: string): Promise<Check[]> {
  const total = (await page(call, credential, 'per=1')).total_count;
  if (total === 0) return [rule('the account has users to page through (none: paging not checked)', true, '', '', '')];
  const per = Math.min(MAX_PER, Math.ceil(total / PAGES));
  const pages: UsersResponse[] = [];
  for (let number = 1; number <= PAGES + 1; number++) pages.push(await page(call, credential, `per=${per}&page=${number}`));
  const checks: Check[] = [];
  const counts = pages.map((one) => one.total_count);
  checks.push(rule('total_count is the same on every page', counts.every((count) => count === total), '/total_count', String(total), counts.join(', ')));
  const sizes = pages.map((one) => one.users.length);
  const expectedSizes = pages.map((_, i) => Math.max(0, Math.min(per, total - i * per)));
  checks.push(rule(`per=${per}: each page holds per users until the last`, sizes.join() === expectedSizes.join(), '/users', expectedSizes.join(', '), sizes.join(', ')));
  const keys = pages.flatMap((one) => one.users.map((user) => user.user_key));
  const distinct = new Set(keys);
  checks.push(rule('pages share no user', distinct.size === keys.length, '/users', `${keys.length} distinct user_keys`, `${distinct.size}`));
  if (total <= PAGES * per) {
    checks.push(rule("the pages' union is total_count users", distinct.size === total, '/total_count', String(total), String(distinct.size)));
  }
  const sought = pages[0]!.users[0]?.user_key;
  if (sought !== undefined) {
    const found = (await page(call, credential, `search=${encodeURIComponent(sought)}`)).users.map((user) => user.user_key);
    checks.push(rule('search=<a user_key> finds that user', found.includes(sought), '/users', `a user with user_key ${JSON.stringify(sought)}`, `${found.length} users without it`));
  }
  const ordered = Math.min(total, 100);
  for (const order of ['asc', 'desc'] as const) {
    const names = (await page(call, credential, `order_by=first_name&order=${order}&per=${ordered}`)).users.map((user) => user.first_name);
    const direction = order === 'asc' ? 1 : -1;
    const wrong = names.findIndex((name, i) => i > 0 && direction * compare(names[i - 1], name) > 0);
    checks.push(
      rule(`order_by=first_name&order=${order}`, wrong === -1, `/users/${wrong}/first_name`, `${order === 'asc' ? 'after' : 'before'} ${JSON.stringify(names[wrong - 1])}`, JSON.stringify(names[wrong])),
    );
  }
  return checks;
}

/** What `record` writes: organisations as fixtures/datonis/accounts.json holds them. */
const RecordedOrganisationsSchema = Type.Array(
  Type.Object({
    organisation_key: Type.String(),
    name: Type.String(),
    tokens: Type.Array(Type.String()),
    is_oem: Type.Boolean(),
    child_organisation_keys: Type.Array(Type.String()),
    generated_users: Type.Boolean(),
    users: Type.Array(StoredUserSchema),
  }),
);

/** The X-Auth-Token header; an organisation's users, paged, which the mock keeps per organisation. */
export const verification: Verification = {
  authorize,
  semantics,
  recordSchema: RecordedOrganisationsSchema,
  async record(call, credential, { as, maxUsers }) {
    const per = Math.min(RECORD_PER, maxUsers);
    const users: StoredUser[] = [];
    let total = 0;
    for (let number = 1; users.length < maxUsers && number <= Math.ceil(maxUsers / per); number++) {
      const one = await page(call, credential, `per=${per}&page=${number}`);
      total = one.total_count;
      users.push(...(one.users as StoredUser[]).slice(0, maxUsers - users.length));
      if (one.users.length < per || users.length >= total) break;
    }
    const organisation = {
      organisation_key: 'recorded',
      name: 'Recorded organisation',
      tokens: [as],
      is_oem: false,
      child_organisation_keys: [],
      generated_users: false,
      users,
    };
    return { content: [organisation], summary: `${users.length} of ${total} users` };
  },
};
