import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { parsePrefer } from '../../src/state/faults.js';
import { basic, makeApp, manualClock, memoryState } from '../helpers.js';
import { DEMO, type Params, SEED, authorization, bentPath, extraHeaders, method, pathSegment, queryString, requestBody } from './arbitraries.js';
import { errorFormatProblem, formatOfPath, parsed } from './formats.js';
import { type State, changedKeys, numericDelta, snapshot } from './state.js';

/** Inputs tried per route; the README's Reliability section quotes the total. */
export const RUNS_PER_ROUTE = 400;

const FINGERBANK_KEYS = [DEMO.fingerbankUser, DEMO.fingerbankAdmin, DEMO.fingerbankBlocked];

const DATONIS_PARAMS: Params = {
  page: ['1', '2', '3', '1000000000'],
  per: ['1', '2', '20', '1000'],
  order_by: ['first_name', 'last_name', 'email', 'created_at', 'user_key', 'role'],
  order: ['asc', 'desc'],
  search: ['bill', 'Doe', 'a b', 'jack mike'],
  scope: ['all', 'any'],
  timestamp_format: ['str', 'int'],
  pretty: ['true', 'false'],
  field_list: ['first_name', 'first_name,email', '["first_name","user_key"]'],
  is_oem: ['true', 'false'],
  child_organisation_key: ['c5d8b3e62a', 'a7c2e9f41b'],
};

/** Each documented route, the paths and parameters to try on it, and the credentials that open it. */
interface Route {
  name: string;
  prefix: string;
  path: fc.Arbitrary<string>;
  params: Params;
  credentials: fc.Arbitrary<Record<string, string>>;
}

const ROUTES: Route[] = [
  {
    name: 'Datafiniti GET /v3/users',
    prefix: '/v3',
    path: fc.constant('/v3/users'),
    params: {},
    credentials: fc.constant({ authorization: basic(DEMO.datafiniti) }),
  },
  {
    name: 'Fingerbank GET /api/v2/users/account_info/:account_key',
    prefix: '/api/v2',
    path: fc
      .oneof(fc.constantFrom(...FINGERBANK_KEYS, DEMO.fingerbankUser.toUpperCase()), pathSegment)
      .map((key) => `/api/v2/users/account_info/${key}`),
    params: { key: FINGERBANK_KEYS },
    credentials: fc.constantFrom({}, ...FINGERBANK_KEYS.map((key) => ({ authorization: `Bearer ${key}` }))),
  },
  {
    name: 'Fingerbank GET /api/v2/users/account_info',
    prefix: '/api/v2',
    path: fc.constant('/api/v2/users/account_info'),
    params: { key: FINGERBANK_KEYS },
    credentials: fc.constantFrom(...FINGERBANK_KEYS.map((key) => ({ authorization: `Bearer ${key}` }))),
  },
  {
    name: 'Plaspy GET /api/users',
    prefix: '/api/users',
    path: fc.constant('/api/users'),
    params: {},
    credentials: fc.constant({ authorization: `Bearer ${DEMO.plaspy}` }),
  },
  {
    name: 'Plaspy GET /api/users/:userId',
    prefix: '/api/users',
    path: fc.oneof(fc.constantFrom('usr-12345', '12345', 'usr-new-1'), pathSegment).map((id) => `/api/users/${id}`),
    params: {},
    credentials: fc.constant({ authorization: `Bearer ${DEMO.plaspy}` }),
  },
  {
    name: 'Datonis GET /api/v3/users',
    prefix: '/api/v3',
    path: fc.constant('/api/v3/users'),
    params: DATONIS_PARAMS,
    credentials: fc.constantFrom({ 'x-auth-token': DEMO.datonis }, { 'x-auth-token': DEMO.datonisChild }),
  },
];

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const COUNTED_ONCE = { timeframed_requests: 1, monthly_requests: 1, requests: 1 };
const PLASPY_COUNTED_ONCE = { apiUsage: 1, apiDailyUsage: 1 };

/**
 * How the state may change, as the documents say: a Fingerbank call admitted by the rate limiter
 * counts once for the key it sent; a Plaspy call that reaches a route and is not refused as
 * invalid counts once for its token, or for the anonymous bucket when the token is not valid.
 * Nothing else changes anything.
 */
function stateProblem(sent: Sent, response: LightMyRequestResponse, before: State, after: State): string | undefined {
  const changed = changedKeys(before, after);
  const seenPath = (response.raw.req as { url: string }).url;
  const owner = formatOfPath(seenPath);
  const forced = (parsePrefer(sent.headers.prefer)?.status ?? 0) >= 400;
  const body = parsed(response.body) as Record<string, unknown> | undefined;
  let expected: { key: (key: string) => boolean; delta: Record<string, number> } | undefined;

  if (owner === 'fingerbank' && response.headers['x-ratelimit-limit'] !== undefined && response.statusCode !== 429) {
    const sentText = safeDecode(sent.url) + (sent.headers.authorization ?? '');
    expected = { key: (key) => key.startsWith('fingerbank/') && sentText.includes(key.slice('fingerbank/'.length)), delta: COUNTED_ONCE };
  }
  if (owner === 'plaspy' && !forced) {
    const status = response.statusCode;
    const answeredByRoute = status === 200 || status === 401 || (status === 404 && body?.error === 'User not found.');
    // a HEAD has no body to tell a route's 404 from an unknown path's: either count is right
    const headNotFound = sent.method === 'HEAD' && status === 404;
    if (headNotFound && changed.length === 0) return undefined;
    if (answeredByRoute || headNotFound) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(sent.headers.authorization ?? '')?.[1];
      const bucket = status === 401 ? 'plaspy/(anonymous)' : `plaspy/${token}`;
      expected = { key: (key) => key === bucket, delta: PLASPY_COUNTED_ONCE };
    }
  }

  if (!expected) return changed.length === 0 ? undefined : `state changed where nothing should: ${changed.join(', ')}`;
  const [key, ...more] = changed;
  if (key === undefined || more.length > 0 || !expected.key(key)) return `expected one counted record, got changes in [${changed.join(', ')}]`;
  const delta = numericDelta(before.get(key), after.get(key));
  if (JSON.stringify(delta) !== JSON.stringify(expected.delta)) return `${key} changed by ${JSON.stringify(delta)}, not by one call`;
  const apiUsage = (JSON.parse(after.get(key)!) as { apiUsage?: number }).apiUsage;
  if (owner === 'plaspy' && body && body.apiUsage !== apiUsage) return `the answer shows apiUsage ${String(body.apiUsage)}, the counter holds ${apiUsage}`;
  return undefined;
}

/** Every invariant of one exchange; the first problem found, or undefined. */
function exchangeProblem(sent: Sent, response: LightMyRequestResponse, before: State, after: State): string | undefined {
  const status = response.statusCode;
  const forcedStatus = parsePrefer(sent.headers.prefer)?.status ?? 0;
  if (status >= 500 && forcedStatus < 500) return `${status} without an injected fault: ${response.body.slice(0, 300)}`;
  if (sent.method !== 'HEAD') {
    if (!/^application\/json/.test(String(response.headers['content-type']))) return `content-type ${String(response.headers['content-type'])}`;
    const body = parsed(response.body);
    if (body === undefined) return `the body does not parse: ${response.body.slice(0, 200)}`;
    if (status >= 400) {
      const problem = errorFormatProblem(formatOfPath((response.raw.req as { url: string }).url), status, body);
      if (problem) return problem;
    }
  }
  return stateProblem(sent, response, before, after);
}

async function send(app: FastifyInstance, sent: Sent, body: string | undefined) {
  return app.inject({ method: sent.method as 'GET', url: sent.url, headers: sent.headers, payload: body });
}

describe('fuzzing every provider route', () => {
  for (const route of ROUTES) {
    it(`${route.name}: no 5xx, every error in the provider's format, state changed only as documented`, async () => {
      const clock = manualClock();
      const app = await makeApp({ clock, users: 3 });
      const request = fc.record({
        method,
        path: route.path.chain((path) => bentPath(path, route.prefix)),
        query: queryString(route.params),
        credentials: fc.oneof(
          { weight: 3, arbitrary: route.credentials },
          { weight: 2, arbitrary: authorization.map((value) => ({ authorization: value })) },
          { weight: 1, arbitrary: fc.constant({}) },
        ),
        extra: extraHeaders,
        body: requestBody(route.params),
      });
      await fc.assert(
        fc.asyncProperty(request, async (input) => {
          // a second per call, so that Fingerbank's per-minute windows roll now and then
          clock.advance(1000);
          const headers: Record<string, string> = { ...input.extra, ...input.credentials };
          const sent: Sent = { method: input.method, url: `${input.path}${input.query}`, headers };
          const before = await snapshot(app);
          const response = await send(app, sent, input.body);
          const problem = exchangeProblem(sent, response, before, await snapshot(app));
          if (problem) throw new Error(problem);
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      expect(memoryState(app).journal.size).toBeLessThanOrEqual(memoryState(app).journal.capacity);
    }, 60_000);
  }
});

describe('found by fuzzing', () => {
  it('Datonis pretty=true answers indented JSON declared as JSON', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/v3/users?pretty=true', headers: { 'x-auth-token': DEMO.datonis } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.body).toContain('\n  "total_count": 3');
  });
});
