import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeApp, manualClock, memoryState } from '../helpers.js';
import { DEMO, SEED, contentType, hostileText, pathSegment, percentEncode, requestBody } from './arbitraries.js';
import { errorFormatProblem, parsed } from './formats.js';
import { type JsonSchema, type Operation, controlOperations } from './operations.js';
import { changedKeys, snapshot } from './state.js';

/** Inputs tried per control-plane operation; docs/reliability.md quotes the total. */
export const RUNS_PER_OPERATION = 100;

const ADMIN_TOKEN = 'control-plane-secret';

/** Values for a schema: valid ones, the edges just outside it, and hostile ones. */
function valueFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const outside: unknown[] = [null, '', -1, 1.5, 'x', [], {}];
  if (schema.maximum !== undefined) outside.push(schema.maximum + 1);
  if (schema.minimum !== undefined) outside.push(schema.minimum - 1);
  let valid: fc.Arbitrary<unknown>;
  if (schema.enum) valid = fc.constantFrom(...schema.enum);
  else if (schema.format === 'date-time') valid = fc.date({ min: new Date(0), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
  else if (schema.anyOf) valid = fc.oneof(...schema.anyOf.map(valueFor));
  else {
    switch (schema.type) {
      case 'string':
        valid = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 24, 24) });
        break;
      case 'integer':
        valid = fc.integer({ min: Math.max(schema.minimum ?? -1_000, -1_000), max: Math.min(schema.maximum ?? 1_000, 1_000) });
        break;
      case 'number':
        valid = fc.double({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000, noNaN: true });
        break;
      case 'boolean':
        valid = fc.boolean();
        break;
      case 'array':
        valid = fc.array(schema.items ? valueFor(schema.items) : hostileText, { maxLength: 3 });
        break;
      case 'null':
        valid = fc.constant(null);
        break;
      case 'object': {
        const values = Object.values(schema.patternProperties ?? {})[0] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
        valid = fc.dictionary(fc.string({ maxLength: 8 }), values ? valueFor(values) : fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
        break;
      }
      default:
        valid = fc.jsonValue({ maxDepth: 2 });
    }
  }
  return fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: fc.constantFrom(...outside) }, { weight: 1, arbitrary: hostileText });
}

/** Ids that exist, beside hostile ones, for each path parameter. */
function idsFor(path: string, name: string): string[] {
  const slug = /^\/__mock\/(\w+)\//.exec(path)?.[1];
  if (name === 'id') return ['fault-1', 'fault-2'];
  if (name === 'userId') return slug === 'plaspy' ? ['usr-12345', 'usr-new-1'] : ['1e5228ttd8'];
  const accounts: Record<string, string[]> = {
    datafiniti: [DEMO.datafiniti],
    fingerbank: [DEMO.fingerbankUser, DEMO.fingerbankBlocked],
    plaspy: [DEMO.plaspy],
    datonis: ['a7c2e9f41b', 'c5d8b3e62a'],
  };
  return accounts[slug ?? ''] ?? [];
}

/** A request for one operation: its path filled in, its query and body drawn from its schemas. */
function requestFor(operation: Operation) {
  const pathParams = operation.parameters.filter((parameter) => parameter.in === 'path');
  const queryParams = operation.parameters.filter((parameter) => parameter.in === 'query');
  const path = fc
    .tuple(
      ...pathParams.map((parameter) => {
        const ids = idsFor(operation.path, parameter.name);
        return ids.length > 0 ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: pathSegment }) : pathSegment;
      }),
    )
    .map((values) => pathParams.reduce((url, parameter, i) => url.replace(`{${parameter.name}}`, values[i]!), operation.path));
  const query = fc
    .array(
      fc.oneof(
        ...queryParams.map((parameter) => valueFor(parameter.schema).map((value) => `${parameter.name}=${percentEncode(String(value))}`)),
        hostileText.map((text) => `${percentEncode(text)}=1`),
      ),
      { maxLength: 3 },
    )
    .map((pairs) => (pairs.length > 0 ? `?${pairs.join('&')}` : ''));
  const properties = operation.body?.properties ?? {};
  const validBody = fc
    .record(Object.fromEntries(Object.entries(properties).map(([name, schema]) => [name, valueFor(schema)])), { requiredKeys: [] })
    // a valid count generates that many users: the limits test covers large ones
    .map((body) => ((typeof body.count === 'number' && body.count > 3 && body.count <= 1_000_000) ? { ...body, count: 3 } : body))
    .map((body) => JSON.stringify(body));
  const body = operation.body
    ? fc.oneof({ weight: 4, arbitrary: validBody }, { weight: 2, arbitrary: requestBody(Object.fromEntries(Object.keys(properties).map((name) => [name, []]))) })
    : requestBody({});
  return fc.record({
    method: fc.oneof({ weight: 12, arbitrary: fc.constant(operation.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT') }),
    url: fc.tuple(path, query).map(([p, q]) => p + q),
    token: fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom({ authorization: `Bearer ${ADMIN_TOKEN}` }, { 'x-mock-admin-token': ADMIN_TOKEN }) },
      { weight: 1, arbitrary: fc.constantFrom({}, { authorization: `Basic ${ADMIN_TOKEN}` }, { 'x-mock-admin-token': `${ADMIN_TOKEN}x` }, { authorization: `Bearer ${DEMO.plaspy}` }) },
    ),
    contentType: fc.oneof({ weight: 5, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }),
    body,
  });
}

describe('fuzzing every control-plane route', () => {
  it('no 5xx; errors in the control format; a refused request or a read changes nothing; a change stays in its provider', async () => {
    const app = await makeApp({ clock: manualClock(), users: 3, adminToken: ADMIN_TOKEN });
    const seeded = await snapshot(app);
    const operations = await controlOperations(app);
    expect(operations.length).toBeGreaterThanOrEqual(40);
    for (const operation of operations) {
      // each operation starts from the seeded state, whatever the previous one deleted
      app.mock.reset();
      await fc.assert(
        fc.asyncProperty(requestFor(operation), async (input) => {
          const before = await snapshot(app);
          const faultsBefore = JSON.stringify(memoryState(app).faults.list());
          const response = await app.inject({
            method: input.method as 'GET',
            url: input.url,
            headers: { ...input.token, 'content-type': input.contentType },
            payload: input.method === 'GET' ? undefined : input.body,
          });
          const status = response.statusCode;
          const after = await snapshot(app);
          const changed = changedKeys(before, after);
          const where = `${input.method} ${input.url.slice(0, 120)} → ${status} ${response.body.slice(0, 200)}`;
          if (status >= 500) throw new Error(`5xx: ${where}`);
          if (status !== 204) {
            const body = parsed(response.body);
            if (body === undefined) throw new Error(`not JSON: ${where}`);
            if (status >= 400) {
              const problem = errorFormatProblem('control', status, body);
              if (problem) throw new Error(`${problem} (${where})`);
            }
          }
          if (status >= 400 || input.method === 'GET') {
            if (changed.length > 0) throw new Error(`changed ${changed.slice(0, 5).join(', ')}: ${where}`);
            if (JSON.stringify(memoryState(app).faults.list()) !== faultsBefore) throw new Error(`faults changed: ${where}`);
            return;
          }
          if (input.url.startsWith('/__mock/reset')) {
            if (changedKeys(seeded, after).length > 0) throw new Error('reset did not restore the seeded state');
            return;
          }
          // the mock's time is every provider's: moving it rolls their counters, as it is meant to
          if (input.url.startsWith('/__mock/clock')) return;
          const slug = /^\/__mock\/(\w+)\//.exec(input.url)?.[1];
          const elsewhere = changed.filter((key) => !key.startsWith(`${slug}/`));
          if (elsewhere.length > 0) throw new Error(`changed another provider's records ${elsewhere.join(', ')}: ${where}`);
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }
  }, 60_000);
});

describe('found by fuzzing', () => {
  it.each([
    ['/__mock/datafiniti/accounts/AAAXXXXXXXXXXXX', { available_downloads: '1e309' }, 'available_downloads'],
    ['/__mock/plaspy/accounts/plaspy-demo-token', { apiUsage: '1e400' }, 'apiUsage'],
    [`/__mock/fingerbank/accounts/${DEMO.fingerbankUser}`, { requests: '-1e309' }, 'requests'],
  ])('a number written as text so large it would be Infinity is refused as text, and the account still answers (%s)', async (url, patch, field) => {
    const app = await makeApp();
    const response = await app.inject({ method: 'PATCH', url, payload: patch });
    expect(response.statusCode).toBe(400);
    // a JSON body's types are its own: text where a number is asked for is refused, never coerced
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: `Invalid body '${field}': must be integer` });
    expect((await app.inject({ url })).statusCode).toBe(200);
    expect((await app.inject({ url: '/__mock/accounts' })).statusCode).toBe(200);
  });

  it.each([
    ['/__mock/plaspy/accounts/plaspy-demo-token', '{"apiUsage":1e400}', 'apiUsage'],
    [`/__mock/fingerbank/accounts/${DEMO.fingerbankUser}`, '{"requests":-1e400}', 'requests'],
    ['/__mock/datafiniti/accounts', '{"available_downloads":1e999}', 'available_downloads'],
  ])('a JSON number so large it reads as Infinity is refused, and nothing is stored (%s %s)', async (url, payload, field) => {
    const app = await makeApp();
    const before = await snapshot(app);
    const response = await app.inject({ method: url.endsWith('accounts') ? 'POST' : 'PATCH', url, headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message: `Invalid body '${field}': must be a finite number` });
    expect(changedKeys(before, await snapshot(app))).toEqual([]);
  });

  it('a provider parameter so large it is Infinity is a 400 in the provider’s format', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/api/v3/users?per=1e309', headers: { 'x-auth-token': DEMO.datonis } });
    expect(response.statusCode).toBe(400);
    expect(errorFormatProblem('datonis', 400, response.json())).toBeUndefined();
  });
});
