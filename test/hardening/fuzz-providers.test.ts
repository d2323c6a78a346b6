import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { providerFile } from '../../src/contract/documents.js';
import { type Document, type OperationEntry, findOperation, operationsOf, pathParams } from '../../src/contract/operations.js';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { parsePrefer } from '../../src/http/prefer.js';
import { committedDocument } from '../contract/contract.js';
import { DEMO_CREDENTIALS, waysOf } from '../credentials.js';
import { makeApp, manualClock, memoryState } from '../helpers.js';
import { DEMO, type Params, SEED, authorization, bentPath, extraHeaders, method, pathSegment, queryString, requestBody } from './arbitraries.js';
import { errorFormatProblem, formatOfPath, parsed } from './formats.js';
import { type State, changedKeys, numericDelta, snapshot } from './state.js';

/** Inputs tried per route; docs/reliability.md quotes the total. */
export const RUNS_PER_ROUTE = 400;

/**
 * Values worth trying beside those a parameter's schema, the documented examples and the demo
 * credentials suggest, by operation and parameter: text forms only a person knows to try.
 */
const MORE_PLAUSIBLE: Record<string, Params> = {
  'GET /api/v3/users': {
    per: ['20'],
    search: ['bill', 'Doe', 'a b', 'jack mike'],
    field_list: ['first_name', 'first_name,email', '["first_name","user_key"]'],
    child_organisation_key: ['c5d8b3e62a', 'a7c2e9f41b'],
  },
  'GET /api/users/{userId}': { userId: ['usr-new-1'] },
};

/** Each documented route, the paths and parameters to try on it, and the credentials that open it. */
interface Route {
  name: string;
  prefix: string;
  path: fc.Arbitrary<string>;
  params: Params;
  credentials: fc.Arbitrary<Record<string, string>>;
}

type ParameterSchema = { type?: string; enum?: unknown[]; minimum?: number; maximum?: number; items?: ParameterSchema };

/** Values a parameter's schema suggests: its enum, both booleans, an integer's bounds and the values just inside. */
function schemaValues(schema: ParameterSchema | undefined): string[] {
  if (!schema) return [];
  if (schema.enum) return schema.enum.map(String);
  if (schema.type === 'boolean') return ['true', 'false'];
  if (schema.type === 'integer' && schema.minimum !== undefined && schema.maximum !== undefined) {
    return [schema.minimum, schema.minimum + 1, schema.minimum + 2, schema.maximum].map(String);
  }
  return schema.type === 'array' ? schemaValues(schema.items) : [];
}

/** The parameters of the documented requests that an operation serves: path, query string and a JSON body's. */
function documentedValues(document: Document, entry: OperationEntry, slug: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  const add = (name: string, value: unknown) => values.set(name, [...(values.get(name) ?? []), String(value)]);
  for (const { example } of readExamples(slug)) {
    const { method, url, body } = example.request;
    if (findOperation(document, method, url)?.path !== entry.path) continue;
    for (const [name, value] of Object.entries(pathParams(entry.path, url.split('?')[0]!) ?? {})) add(name, value);
    for (const [name, value] of new URLSearchParams(url.split('?')[1] ?? '')) add(name, value);
    for (const [name, value] of Object.entries(body ? (JSON.parse(body) as Record<string, unknown>) : {})) add(name, value);
  }
  return values;
}

const unique = (values: readonly string[]) => [...new Set(values)];

/** Every operation of every provider's document, with its parameters' plausible values and its provider's demo credentials. */
const ROUTES: Route[] = providers.flatMap((provider) => {
  const document = committedDocument(providerFile(provider));
  const demoValues = unique(DEMO_CREDENTIALS[provider.slug].map((demo) => demo.value));
  const sent = waysOf(provider).flatMap((way) => demoValues.map((value) => way.send(value)));
  const credentialHeaders = sent.map((one) => one.headers).filter((headers) => Object.keys(headers).length > 0);
  const credentialParams: Params = {};
  for (const { query } of sent) for (const [name, value] of Object.entries(query)) credentialParams[name] = unique([...(credentialParams[name] ?? []), value]);
  return operationsOf(document).map((entry): Route => {
    const name = `${entry.method.toUpperCase()} ${entry.path}`;
    const documented = documentedValues(document, entry, provider.slug);
    const more = MORE_PLAUSIBLE[name] ?? {};
    const parameters = (entry.operation.parameters ?? []) as { name: string; in: string; schema?: ParameterSchema }[];
    const valuesOf = (parameter: { name: string; schema?: ParameterSchema }) =>
      unique([...schemaValues(parameter.schema), ...(documented.get(parameter.name) ?? []), ...(more[parameter.name] ?? [])]);
    const params: Params = { ...credentialParams };
    for (const parameter of parameters.filter((one) => one.in === 'query')) params[parameter.name] = valuesOf(parameter);
    // a path parameter may be a credential (Fingerbank's account_key): the demo credentials, one in another case, are tried there too
    const segments = entry.path.split(/(\{[^}]+\})/).map((part) => {
      const parameter = /^\{(.+)\}$/.exec(part)?.[1];
      if (!parameter) return fc.constant(part);
      const plausible = unique([...valuesOf({ name: parameter }), ...demoValues, demoValues[0]!.toUpperCase()]);
      return fc.oneof(fc.constantFrom(...plausible), pathSegment);
    });
    return {
      name: `${provider.title} ${name}`,
      prefix: provider.pathPrefixes.find((prefix) => entry.path === prefix || entry.path.startsWith(`${prefix}/`))!,
      path: fc.tuple(...segments).map((parts) => parts.join('')),
      params,
      credentials: credentialHeaders.length > 0 ? fc.constantFrom(...credentialHeaders) : fc.constant({}),
    };
  });
});

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
