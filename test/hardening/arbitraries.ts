import fc from 'fast-check';
import { readFixture } from '../../src/data/fixtures.js';
import type { Organisation } from '../../src/providers/datonis/store.js';
import { ADMIN_LEVEL, type User as FingerbankUser } from '../../src/providers/fingerbank/schemas.js';
import { type ProviderSlug, providers } from '../../src/providers.js';
import { parsePrefer } from '../../src/http/prefer.js';
import { DEMO_CREDENTIALS, waysOf } from '../credentials.js';
import { basic } from '../helpers.js';

/** Fixed, so that every run tries the same inputs and a failure can be replayed. */
export const SEED = 20_260_315;

const firstDemo = (slug: ProviderSlug) => DEMO_CREDENTIALS[slug][0]!.value;
const fingerbankKey = (holds: (user: FingerbankUser) => boolean) => readFixture<FingerbankUser[]>('fingerbank/accounts.json').find(holds)!.key;
const datonisOrganisations = readFixture<Organisation[]>('datonis/accounts.json');

/**
 * The documented demo credentials, one per kind of account: each provider's first (the one that
 * opens it), and the accounts of other kinds its fixtures hold.
 */
export const DEMO = {
  datafiniti: firstDemo('datafiniti'),
  fingerbankUser: firstDemo('fingerbank'),
  fingerbankAdmin: fingerbankKey((user) => user.level === ADMIN_LEVEL && !user.blocked),
  fingerbankBlocked: fingerbankKey((user) => user.blocked),
  plaspy: firstDemo('plaspy'),
  datonis: firstDemo('datonis'),
  /** An organisation another one lists as its child. */
  datonisChild: datonisOrganisations.find((child) =>
    datonisOrganisations.some((parent) => parent.child_organisation_keys.includes(child.organisation_key)),
  )!.tokens[0]!,
};

/** Every demo credential of every provider, sent every way its provider takes one: the headers each way sets. */
const DEMO_HEADERS = providers.flatMap((provider) =>
  waysOf(provider).flatMap((way) => DEMO_CREDENTIALS[provider.slug].map((demo) => way.send(demo.value).headers)),
);

/** Percent-encodes any text as UTF-8, lone surrogates included (encodeURIComponent throws on them). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

const EDGE_CASES = [
  '', ' ', '0', '-1', '1', '2', '20', '1000', '1001', '1000000000', '1000000001', '1.5', '1e3', '1e309', '-0', '0x10',
  'NaN', 'Infinity', '9'.repeat(400), 'true', 'false', 'null', 'undefined', '[]', '{}', '["first_name"]', '[1,2]',
  'asc', 'desc', 'all', 'any', 'str', 'int', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '%', '%zz', '%00', '%C0%AF', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '\u0000', '\uFEFF',
  '\uD800', 'e\u0301', '😀', 'ｆｉｒｓｔ_ｎａｍｅ', 'first_name,last_name', 'first_name, email ,zzz', 'FIRST_NAME',
  'usr-12345', '12345', 'c5d8b3e62a', ...new Set(Object.values(DEMO_CREDENTIALS).flat().map((demo) => demo.value)),
];

/** Text as careless or hostile clients send it: ASCII, any Unicode, edge cases of numbers and names, and huge. */
export const hostileText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_CASES) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5_000), 'é'.repeat(20_000), '9'.repeat(100_000)) },
);

/** Characters a client may put in a URL unencoded, the bare `%` of a broken escape included. */
const rawUrlText = fc.stringMatching(/^[!$&'()*+,;=:@A-Za-z0-9._~%-]{0,24}$/);

/** One path segment: mostly encoded hostile text, sometimes raw (and possibly a malformed escape). */
export const pathSegment = fc.oneof({ weight: 3, arbitrary: hostileText.map(percentEncode) }, { weight: 1, arbitrary: rawUrlText });

/** A route's parameters, each with values it accepts (or nearly): hostile ones are added to them. */
export type Params = Record<string, readonly string[]>;

/** A value for one parameter: mostly a plausible one, else hostile text. */
function paramValue(params: Params, key: string) {
  const plausible = Object.hasOwn(params, key) ? (params[key] ?? []) : [];
  return plausible.length === 0 ? hostileText : fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...plausible) }, { weight: 2, arbitrary: hostileText });
}

/** A query string over the route's own parameters (repeated, bracketed) and unknown ones. */
export function queryString(params: Params) {
  const known = Object.keys(params);
  const name =
    known.length === 0
      ? hostileText
      : fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known, ...known.map((key) => `${key}[]`)) }, { weight: 1, arbitrary: hostileText });
  const pair = fc.oneof(
    {
      weight: 5,
      arbitrary: name.chain((key) => paramValue(params, key.replace(/\[\]$/, '')).map((value) => `${percentEncode(key)}=${percentEncode(value)}`)),
    },
    { weight: 1, arbitrary: fc.tuple(rawUrlText, rawUrlText).map(([key, value]) => `${key}=${value}`) },
    { weight: 1, arbitrary: name.map(percentEncode) },
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
}

/** Header values as the HTTP parser lets them through: visible ASCII, space, tab and Latin-1. */
const headerText = fc.stringMatching(/^[\t\x20-\x7e\x80-\xff]{0,60}$/);

/** Every provider's valid credentials in Authorization, as their providers send them, so that each provider also meets the others'. */
export const VALID_AUTHORIZATIONS = [...new Set(DEMO_HEADERS.flatMap((headers) => (headers.authorization === undefined ? [] : [headers.authorization])))];

/** The other headers a provider takes a credential in (Datonis's X-Auth-Token), each with the valid values. */
const CREDENTIAL_HEADERS = new Map<string, string[]>();
for (const headers of DEMO_HEADERS) {
  for (const [name, value] of Object.entries(headers)) {
    if (name !== 'authorization' && !CREDENTIAL_HEADERS.get(name)?.includes(value)) CREDENTIAL_HEADERS.set(name, [...(CREDENTIAL_HEADERS.get(name) ?? []), value]);
  }
}

export const authorization = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...VALID_AUTHORIZATIONS) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '', 'Basic', 'Bearer', 'Bearer ', 'Basic =', 'Basic !!!', 'Token abc', 'Digest username="x"', basic(DEMO.datafiniti, 'secret'),
      basic(''), `Bearer ${DEMO.fingerbankUser.toUpperCase()}`, `Bearer ${DEMO.plaspy} extra`, `Basic ${DEMO.datafiniti}`,
      `bearer ${DEMO.plaspy}`, `Bearer ${'x'.repeat(8_000)}`, `Bearer ${DEMO.datonis}`,
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('Basic ', 'Bearer ', 'bearer ', 'BASIC ', 'Token ', ''), headerText).map(([scheme, value]) => scheme + value) },
);

export const contentType = fc.constantFrom(
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream',
  '*/*', 'application/json, text/plain', 'garbage', '',
);

/** Prefer headers, the forced statuses included; any delay is kept to a few milliseconds. */
const prefer = fc
  .oneof(
    fc.constantFrom('code=400', 'code=404', 'code=429', 'code=500', 'code=502', 'code=503', 'code=200', 'code=abc', 'code=99', 'code=600', 'delay=1', 'delay=99999999', 'code=503, delay=1'),
    headerText,
  )
  .map((value) => ((parsePrefer(value)?.delayMs ?? 0) > 5 ? 'code=abc' : value));

/** Present now and then. */
function sometimes<T>(arbitrary: fc.Arbitrary<T>, freq: number) {
  return fc.option(arbitrary, { nil: undefined, freq });
}

/** Headers beside the credential: a content type, Prefer, other providers' headers, arbitrary ones. */
export const extraHeaders = fc
  .record({
    'content-type': sometimes(contentType, 2),
    prefer: sometimes(prefer, 6),
    ...Object.fromEntries(
      [...CREDENTIAL_HEADERS].map(([name, values]) => [name, sometimes(fc.oneof(fc.constantFrom(...values, ` ${values[0]} `), headerText), 3)]),
    ),
    'x-mock-admin-token': sometimes(headerText, 6),
    accept: sometimes(fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml;q=0.9', ''), 3),
    'accept-encoding': sometimes(fc.constantFrom('gzip', 'br', 'identity', '*'), 3),
    'x-forwarded-for': sometimes(headerText, 6),
    'x-random': sometimes(headerText, 4),
  })
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>);

/** JSON values with the same hostile edges as hostileText. */
const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: hostileText },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 2, 1000, 1001, 1e9, 1e9 + 1, 2 ** 53, -(2 ** 31), 1.5)) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 1, arbitrary: fc.array(hostileText, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A JSON object over the given fields (and unknown ones), with plausible or hostile values. */
export function jsonObject(params: Params) {
  const known = Object.keys(params);
  const key = known.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: hostileText }) : hostileText;
  const entry = key.chain((name) =>
    fc.oneof(
      { weight: 2, arbitrary: paramValue(params, name).map((value): unknown => (/^-?\d+$/.test(value) && value.length < 12 ? Number(value) : value)) },
      { weight: 2, arbitrary: paramValue(params, name) },
      { weight: 2, arbitrary: hostileJson },
    ).map((value) => [name, value] as const),
  );
  return fc.array(entry, { maxLength: 6 }).map((entries) => Object.fromEntries(entries));
}

const DEEP = 100_000;

/** A request body: none, JSON over the known fields, any JSON, broken JSON, form data, text or huge. */
export function requestBody(params: Params) {
  const known = Object.keys(params);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: jsonObject(params).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: hostileText },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{', '{"a":', '[1,2', 'null', '"x"', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}',
        '{"page":"2","per":"1"}', `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`, `{"a":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`,
        JSON.stringify({ blob: 'x'.repeat(200_000) }),
      ),
    },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom(...known, 'x'), hostileText), { maxLength: 4 }).map((pairs) => pairs.map(([key, value]) => `${key}=${percentEncode(value)}`).join('&')) },
  );
}

export const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant('GET' as const) },
  { weight: 2, arbitrary: fc.constantFrom('POST' as const, 'PATCH' as const, 'DELETE' as const, 'PUT' as const, 'HEAD' as const, 'OPTIONS' as const) },
);

/** Paths around a route: as declared, or bent (extra segment, trailing or doubled slash, other case, a sibling). */
export function bentPath(path: string, prefix: string) {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(path) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        pathSegment.map((segment) => `${path}/${segment}`),
        fc.constant(`${path}/`),
        fc.constant(path.toUpperCase()),
        fc.constant(`/${path}`),
        fc.constant(path.replace(/\/([^/]*)$/, '//$1')),
        fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `${prefix}/${segments.join('/')}`),
        fc.array(pathSegment, { minLength: 1, maxLength: 4 }).map((segments) => `/${segments.join('/')}`),
      ),
    },
  );
}
