import type { RequestSpec } from './load.js';

/** What the bench learns from a running mock, through its control plane, before loading it. */
export interface Context {
  users: number;
  datafinitiTokens: string[];
  /** Keys created for the 200 measurement, enough that the per-key rate limit admits every request. */
  fingerbankKeys: string[];
  /** A fresh key, driven past its limit by the 429 measurement. */
  fingerbankLimitedKey: string;
  plaspyToken: string;
  plaspyIds: string[];
  datonisToken: string;
  datonisPages: number[];
}

export type Slug = 'datafiniti' | 'fingerbank' | 'plaspy' | 'datonis';

export interface Endpoint {
  name: string;
  provider: Slug;
  /** For a person: the method, path and what varies. */
  label: string;
  /** The status every answer should have. */
  status: number;
  /** Answers one account's own record: the target is 80 % of the ceiling. */
  singleAccount: boolean;
  /** Measured in the large-data phase too (not a list of every user). */
  large: boolean;
  /** Sends each distinct request once before the warm-up (first use of an index). */
  prime?: boolean;
  /** Requests, sent round-robin by each connection. */
  requests(context: Context): RequestSpec[];
  /** What Prism is sent instead, when it differs (Prism has no rate limit: it is asked for its 429). */
  peerRequests?(context: Context): RequestSpec[];
}

const basic = (token: string) => ({ authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const datonis = (context: Context, query: string) => ({
  path: `/api/v3/users${query}`,
  headers: { 'x-auth-token': context.datonisToken },
});

/** Keywords of a few letters, as a person types them: names, parts of names, parts of user keys. */
const SEARCH_ALL = ['mar son', 'an el', 'ja on', 'ri an', 'lee ma', 'chris', 'k7', 'will ams'];
const SEARCH_ANY = ['mary john', 'son lee', 'kim ann', 'x9 zz', 'rose white', 'bob', 'ed al', 'tom sky'];
const ORDERS = [
  'order_by=last_name',
  'order_by=email&order=desc',
  'order_by=created_at&order=desc',
  'order_by=city',
  'order_by=user_key&order=desc',
  'order_by=updated_at',
];

export const ENDPOINTS: Endpoint[] = [
  {
    name: 'datafiniti',
    provider: 'datafiniti',
    label: 'GET /v3/users',
    status: 200,
    singleAccount: true,
    large: true,
    requests: (context) => context.datafinitiTokens.map((token) => ({ path: '/v3/users', headers: basic(token) })),
  },
  {
    name: 'fingerbank',
    provider: 'fingerbank',
    label: 'GET /api/v2/users/account_info?key= (a key per request, round-robin)',
    status: 200,
    singleAccount: true,
    large: true,
    requests: (context) =>
      context.fingerbankKeys.map((key) => ({ path: `/api/v2/users/account_info?key=${key}`, headers: {} })),
  },
  {
    name: 'fingerbank-429',
    provider: 'fingerbank',
    label: 'the same, one key past its 250 requests a minute',
    status: 429,
    singleAccount: true,
    large: false,
    requests: (context) => [{ path: `/api/v2/users/account_info?key=${context.fingerbankLimitedKey}`, headers: {} }],
    peerRequests: (context) => [
      { path: `/api/v2/users/account_info?key=${context.fingerbankLimitedKey}`, headers: { prefer: 'code=429' } },
    ],
  },
  {
    name: 'plaspy-list',
    provider: 'plaspy',
    label: 'GET /api/users (the generated account, every user)',
    status: 200,
    singleAccount: false,
    large: false,
    requests: (context) => [{ path: '/api/users', headers: bearer(context.plaspyToken) }],
  },
  {
    name: 'plaspy-get',
    provider: 'plaspy',
    label: 'GET /api/users/{userId}',
    status: 200,
    singleAccount: true,
    large: true,
    requests: (context) => context.plaspyIds.map((id) => ({ path: `/api/users/${id}`, headers: bearer(context.plaspyToken) })),
  },
  {
    name: 'datonis-plain',
    provider: 'datonis',
    label: 'GET /api/v3/users (first page of 20)',
    status: 200,
    singleAccount: false,
    large: true,
    requests: (context) => [datonis(context, '')],
  },
  {
    name: 'datonis-paged',
    provider: 'datonis',
    label: 'GET /api/v3/users?per=20&page=N (pages spread over all)',
    status: 200,
    singleAccount: false,
    large: true,
    requests: (context) => context.datonisPages.map((page) => datonis(context, `?per=20&page=${page}`)),
  },
  {
    name: 'datonis-ordered',
    provider: 'datonis',
    label: 'GET /api/v3/users?order_by=F&order=O (6 fields, both orders)',
    status: 200,
    singleAccount: false,
    large: true,
    prime: true,
    requests: (context) => ORDERS.map((order) => datonis(context, `?${order}`)),
  },
  {
    name: 'datonis-search-all',
    provider: 'datonis',
    label: `GET /api/v3/users?search=…&scope=all (${SEARCH_ALL.length} searches)`,
    status: 200,
    singleAccount: false,
    large: true,
    prime: true,
    requests: (context) =>
      SEARCH_ALL.map((search) => datonis(context, `?search=${encodeURIComponent(search)}&scope=all`)),
  },
  {
    name: 'datonis-search-any',
    provider: 'datonis',
    label: `GET /api/v3/users?search=…&scope=any (${SEARCH_ANY.length} searches)`,
    status: 200,
    singleAccount: false,
    large: true,
    prime: true,
    requests: (context) =>
      SEARCH_ANY.map((search) => datonis(context, `?search=${encodeURIComponent(search)}&scope=any`)),
  },
];

/** The request whose first 200 marks a started server: the documented Datafiniti call. */
export const PROBE = { path: '/v3/users', headers: basic('AAAXXXXXXXXXXXX') };

/** One documented request per provider, for the time until all four have answered. */
export function firstRequests(datonisToken: string): RequestSpec[] {
  return [
    PROBE,
    { path: '/api/v2/users/account_info/9e1808205b91362f9e3543aa4cea406e4aeedc69', headers: {} },
    { path: '/api/users/12345', headers: bearer('plaspy-demo-token') },
    { path: '/api/v3/users', headers: { 'x-auth-token': datonisToken } },
  ];
}
