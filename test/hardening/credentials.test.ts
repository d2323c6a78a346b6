import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { readExamples } from '../../src/data/examples.js';
import type { PlaspyStore } from '../../src/providers/plaspy/store.js';
import { type ProviderSlug, providers } from '../../src/providers.js';
import { demoOf, waysOf, withQuery } from '../credentials.js';
import { basic, makeApp } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { errorFormatProblem, formatOfPath } from './formats.js';
import { changedKeys, snapshot } from './state.js';

/** A provider's documented refusal of a credential, word for word: its documented example's 401 answer. */
function documented401(slug: ProviderSlug): unknown {
  const found = readExamples(slug).find(({ example }) => example.response.status === 401);
  if (!found) throw new Error(`${slug} documents no 401`);
  return found.example.response.body;
}

const DATAFINITI_401 = documented401('datafiniti');
const FINGERBANK_401 = documented401('fingerbank');
const FINGERBANK_403 = { message: 'This request is forbidden. Your account may have been blocked.' };
/** The mock's own 403 text for a key reading another account, which is not blocked. */
const FINGERBANK_OTHER_ACCOUNT_403 = { message: 'This request is forbidden. Only an admin key may read the account of another key.' };
/** The first call of the anonymous bucket after a reset, as the documented invalid-token example shows. */
const PLASPY_401 = documented401('plaspy');
/** The page documents none: the mock's own. */
const DATONIS_401 = { error: { code: 401, message: 'Invalid or missing X-Auth-Token' } };

const UNKNOWN_FINGERBANK_KEY = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
/** The page's sample value of `key`, which belongs to no account. */
const SAMPLE_FINGERBANK_KEY = '68989f507420b6187c7e4fa32245db311efed505';

interface Cell {
  kind: string;
  url: string;
  headers?: Record<string, string | string[]>;
  status: number;
  /** The exact body, for refusals. */
  body?: unknown;
  /** The records one call is counted on, as the state shows them. */
  counted?: string[];
}

/** Every other provider's valid credential, as the raw value its provider expects. */
function others(slug: string): [string, string][] {
  return providers.filter((provider) => provider.slug !== slug).map((provider) => [provider.slug, demoOf(provider).value]);
}

/** Every other provider's valid credential, sent each way its own provider takes one, each answered as `answer` says. */
function foreign(slug: string, path: string, answer: (headers: Record<string, string>) => Omit<Cell, 'kind' | 'url'>): Cell[] {
  return providers
    .filter((provider) => provider.slug !== slug)
    .flatMap((provider) =>
      waysOf(provider).map((way) => {
        const { headers, query } = way.send(demoOf(provider).value);
        return { kind: `${provider.slug}'s credential, its way (${way.name})`, url: withQuery(path, query), headers, ...answer(headers) };
      }),
    );
}

function datafinitiCells(): Cell[] {
  const url = '/v3/users';
  const refused = { status: 401, body: DATAFINITI_401 };
  const auth = (kind: string, authorization: string): Cell => ({ kind, url, headers: { authorization }, ...refused });
  return [
    { kind: 'valid', url, headers: { authorization: basic(DEMO.datafiniti) }, status: 200 },
    auth('unknown', basic('ZZZXXXXXXXXXXXX')),
    auth('unknown (other case)', basic(DEMO.datafiniti.toLowerCase())),
    ...others('datafiniti').map(([provider, value]) => auth(`${provider}'s credential`, basic(value))),
    ...foreign('datafiniti', url, () => refused),
    auth('malformed (no value)', 'Basic'),
    auth('malformed (not base64)', 'Basic !!!'),
    auth('malformed (a password beside the token)', basic(DEMO.datafiniti, 'secret')),
    auth('malformed (empty token)', basic('')),
    auth('wrong scheme (Bearer)', `Bearer ${DEMO.datafiniti}`),
    auth('wrong scheme (Token)', `Token ${DEMO.datafiniti}`),
    auth('empty header', ''),
    { kind: 'none', url, ...refused },
  ];
}

function plaspyCells(url: string): Cell[] {
  const refused = { status: 401, body: PLASPY_401, counted: ['plaspy/(anonymous)'] };
  const auth = (kind: string, authorization: string): Cell => ({ kind, url, headers: { authorization }, ...refused });
  return [
    { kind: 'valid', url, headers: { authorization: `Bearer ${DEMO.plaspy}` }, status: 200, counted: [`plaspy/${DEMO.plaspy}`] },
    { kind: 'valid (scheme in lower case)', url, headers: { authorization: `bearer ${DEMO.plaspy}` }, status: 200, counted: [`plaspy/${DEMO.plaspy}`] },
    auth('unknown', 'Bearer no-such-token'),
    auth('unknown (other case)', `Bearer ${DEMO.plaspy.toUpperCase()}`),
    ...others('plaspy').map(([provider, value]) => auth(`${provider}'s credential`, `Bearer ${value}`)),
    ...foreign('plaspy', url, () => refused),
    auth('malformed (no value)', 'Bearer'),
    auth('malformed (two values)', `Bearer ${DEMO.plaspy} ${DEMO.plaspy}`),
    auth('wrong scheme (Basic)', basic(DEMO.plaspy)),
    auth('wrong scheme (Token)', `Token ${DEMO.plaspy}`),
    auth('empty header', ''),
    { kind: 'none', url, ...refused },
  ];
}

function datonisCells(): Cell[] {
  const url = '/api/v3/users';
  const refused = { status: 401, body: DATONIS_401 };
  const token = (kind: string, value: string | string[]): Cell => ({ kind, url, headers: { 'x-auth-token': value }, ...refused });
  return [
    { kind: 'valid', url, headers: { 'x-auth-token': DEMO.datonis }, status: 200 },
    token('unknown', 'XXXXXXXXXXXXXXXXXXXXXX'),
    token('unknown (other case)', DEMO.datonis.toLowerCase()),
    ...others('datonis').map(([provider, value]) => token(`${provider}'s credential`, value)),
    ...foreign('datonis', url, () => refused),
    token('malformed (space inside)', `${DEMO.datonis.slice(0, 8)} ${DEMO.datonis.slice(8)}`),
    token('malformed (sent twice)', [DEMO.datonis, DEMO.datonis]),
    { kind: 'wrong scheme (Authorization: Bearer)', url, headers: { authorization: `Bearer ${DEMO.datonis}` }, ...refused },
    { kind: 'wrong place (?token=)', url: `${url}?token=${DEMO.datonis}`, ...refused },
    token('empty header', ''),
    { kind: 'none', url, ...refused },
  ];
}

const FINGERBANK_PATH = '/api/v2/users/account_info';
const BOB_COUNTED = [`fingerbank/${DEMO.fingerbankUser}`];

/** The key sent as ?key= and as Bearer: both are judged before the path, the first one present. */
function fingerbankSentCells(path: string, empty: Omit<Cell, 'kind' | 'url'>): Cell[] {
  const refused = { status: 401, body: FINGERBANK_401 };
  const cells: Cell[] = [];
  for (const [how, send] of [
    ['?key=', (value: string) => ({ url: `${path}?key=${encodeURIComponent(value)}` })],
    ['Bearer', (value: string) => ({ url: path, headers: { authorization: `Bearer ${value}` } })],
  ] as const) {
    cells.push(
      { kind: `valid, ${how}`, ...send(DEMO.fingerbankUser), status: 200, counted: BOB_COUNTED },
      { kind: `blocked, ${how}`, ...send(DEMO.fingerbankBlocked), status: 403, body: FINGERBANK_403 },
      { kind: `unknown, ${how}`, ...send(UNKNOWN_FINGERBANK_KEY), ...refused },
      { kind: `the page's sample key, ${how}`, ...send(SAMPLE_FINGERBANK_KEY), ...refused },
      { kind: `unknown (other case), ${how}`, ...send(DEMO.fingerbankUser.toUpperCase()), ...refused },
      ...others('fingerbank').map(([provider, value]) => ({ kind: `${provider}'s credential, ${how}`, ...send(value), ...refused })),
    );
  }
  const auth = (kind: string, authorization: string): Cell => ({ kind, url: path, headers: { authorization }, ...refused });
  return [
    ...cells,
    auth('malformed (no value)', 'Bearer'),
    auth('malformed (two values)', `Bearer ${DEMO.fingerbankUser} x`),
    auth('wrong scheme (Basic)', basic(DEMO.fingerbankUser)),
    auth('wrong scheme (Token)', `Token ${DEMO.fingerbankUser}`),
    // a repeated parameter takes its last value, as in Rails
    { kind: 'key twice, the last one valid', url: `${path}?key=${UNKNOWN_FINGERBANK_KEY}&key=${DEMO.fingerbankUser}`, status: 200, counted: BOB_COUNTED },
    { kind: 'key twice, the last one unknown', url: `${path}?key=${DEMO.fingerbankUser}&key=${UNKNOWN_FINGERBANK_KEY}`, ...refused },
    { kind: 'empty ?key=', url: `${path}?key=`, ...empty },
    { kind: 'empty header', url: path, headers: { authorization: '' }, ...empty },
    // another provider's credential in Authorization is read as a key; anywhere else it is not looked at
    ...foreign('fingerbank', path, (headers) => (headers.authorization === undefined ? empty : refused)),
    { kind: 'none', url: path, ...empty },
  ];
}

function fingerbankCells(): Cell[] {
  const refused = { status: 401, body: FINGERBANK_401 };
  const inPath = (kind: string, key: string, rest: Omit<Cell, 'kind' | 'url'>): Cell => ({ kind: `${kind}, in the path`, url: `${FINGERBANK_PATH}/${encodeURIComponent(key)}`, ...rest });
  return [
    ...fingerbankSentCells(FINGERBANK_PATH, refused),
    // the path's own key is a credential too, judged only when nothing else is sent
    ...fingerbankSentCells(`${FINGERBANK_PATH}/${DEMO.fingerbankUser}`, { status: 200, counted: BOB_COUNTED }),
    inPath('valid', DEMO.fingerbankUser, { status: 200, counted: BOB_COUNTED }),
    inPath('blocked', DEMO.fingerbankBlocked, { status: 403, body: FINGERBANK_403 }),
    inPath('unknown', UNKNOWN_FINGERBANK_KEY, refused),
    inPath('unknown (other case)', DEMO.fingerbankUser.toUpperCase(), refused),
    inPath('malformed (blank)', ' ', refused),
    ...others('fingerbank').map(([provider, value]) => inPath(`${provider}'s credential`, value, refused)),
  ];
}

const MATRIX: [ProviderSlug, string, () => Cell[]][] = [
  ['datafiniti', 'Datafiniti GET /v3/users', datafinitiCells],
  ['fingerbank', 'Fingerbank GET /api/v2/users/account_info[/:account_key]', fingerbankCells],
  ['plaspy', 'Plaspy GET /api/users', () => plaspyCells('/api/users')],
  ['plaspy', 'Plaspy GET /api/users/:userId', () => plaspyCells('/api/users/usr-12345')],
  ['datonis', 'Datonis GET /api/v3/users', datonisCells],
];

describe('credential matrix: every kind of credential on every provider route', () => {
  it('has cells for every provider in the list, each meeting every other provider’s credentials every way they are sent', () => {
    expect(new Set(MATRIX.map(([slug]) => slug))).toEqual(new Set(providers.map((provider) => provider.slug)));
    for (const [slug, route, cells] of MATRIX) {
      const kinds = cells().map((cell) => cell.kind);
      expect(kinds.some((kind) => kind.startsWith('valid')), route).toBe(true);
      for (const kind of foreign(slug, '/', () => ({ status: 0 })).map((cell) => cell.kind)) expect(kinds, route).toContain(kind);
    }
  });

  let app: FastifyInstance;
  // one server for the whole matrix, reset before each cell
  beforeAll(async () => {
    app = await buildApp({ users: 3 });
  });
  afterAll(() => app.close());

  for (const [, route, cells] of MATRIX) {
    describe(route, () => {
      it.each(cells().map((cell) => [cell.kind, cell] as const))('%s', async (_kind, cell) => {
        app.mock.reset();
        const before = await snapshot(app);
        const response = await app.inject({ url: cell.url, headers: cell.headers });
        expect(response.statusCode).toBe(cell.status);
        if (cell.body !== undefined) expect(response.json()).toEqual(cell.body);
        if (cell.status >= 400) expect(errorFormatProblem(formatOfPath(cell.url), cell.status, response.json())).toBeUndefined();
        expect(changedKeys(before, await snapshot(app))).toEqual(cell.counted ?? []);
      });
    });
  }
});

describe('one account’s credential never opens another account’s data', () => {
  it('a Plaspy token sees only its own account’s users', async () => {
    const app = await makeApp({ users: 3 });
    const other = (app.mock.storeOf('plaspy') as PlaspyStore).listAccounts().find((account) => account.token !== DEMO.plaspy)!;
    const documented = await app.inject({ url: '/api/users/usr-12345', headers: { authorization: `Bearer ${other.token}` } });
    expect(documented.statusCode).toBe(404);
    const own = await app.inject({ url: '/api/users', headers: { authorization: `Bearer ${other.token}` } });
    expect(own.json().users.map((user: { id: string }) => user.id)).not.toContain('usr-12345');
    const [generatedId] = [...other.users.keys()];
    const across = await app.inject({ url: `/api/users/${generatedId}`, headers: { authorization: `Bearer ${DEMO.plaspy}` } });
    expect(across.statusCode).toBe(404);
  });

  it('a Datonis child organisation’s token lists its own users, not its parent’s', async () => {
    const app = await makeApp({ users: 3 });
    const child = await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': DEMO.datonisChild } });
    const names = child.json().users.map((user: { first_name: string }) => user.first_name);
    expect(names).toHaveLength(3);
    expect(names).not.toContain('Bill');
    const upward = await app.inject({ url: '/api/v3/users?is_oem=true&child_organisation_key=a7c2e9f41b', headers: { 'x-auth-token': DEMO.datonisChild } });
    expect(upward.statusCode).toBe(403);
  });

  it('a Fingerbank key below admin level reads no other account, known or not', async () => {
    const app = await makeApp({ users: 3 });
    for (const target of [DEMO.fingerbankAdmin, DEMO.fingerbankBlocked, UNKNOWN_FINGERBANK_KEY]) {
      const response = await app.inject({ url: `${FINGERBANK_PATH}/${target}`, headers: { authorization: `Bearer ${DEMO.fingerbankUser}` } });
      expect(response.statusCode, target).toBe(403);
      expect(response.json()).toEqual(FINGERBANK_OTHER_ACCOUNT_403);
    }
  });
});
