import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import type { SecurityScheme } from '../../src/contract/credentials.js';
import { type Document, operationsOf } from '../../src/contract/operations.js';
import { readExamples } from '../../src/data/examples.js';
import type { Provider } from '../../src/provider.js';
import { type ProviderSlug, providers } from '../../src/providers.js';
import { credentialSent, demoOf, withQuery } from '../credentials.js';
import { errorFormatProblem } from '../hardening/formats.js';
import { makeApp } from '../helpers.js';

/**
 * How Rails (and Apipie's validators) read parameters, held for every provider whose definition
 * says its service is a Rails application: each rule is checked on each such provider's published
 * operations, from its OpenAPI document, security schemes and documented examples.
 */
const rails = providers.filter((provider) => provider.framework === 'rails');

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Values Apipie's Integer validator refuses, however they arrive: it takes an integer or decimal digits. */
const NOT_INTEGERS_IN_JSON: unknown[] = [true, false, [2], ['2'], '1e3', '2.5', 2.5, ' 2', null, {}];
const NOT_INTEGERS_IN_TEXT = ['true', '1e3', '2.5', '0x10', ''];
/** Booleans are true or false, as such or as text: never 1 or 0 in one place and refused in the other. */
const NOT_BOOLEANS_IN_JSON: unknown[] = [1, 0, '1', '0', 'yes', [true], null, {}];
const NOT_BOOLEANS_IN_TEXT = ['1', '0', 'yes', ''];
/** Values of every JSON type, which no parameter may answer with a 5xx. */
const ANY_JSON: unknown[] = [true, ['2'], [2], {}, { a: 1 }, null, 1.5, -1, 'x', ''];

interface Target {
  provider: Provider;
  /** A GET operation with no path parameter: every parameter it takes is in the query or the body. */
  path: string;
  /** The demo credential sent as the operation's first security scheme declares. */
  credential: { headers: Record<string, string>; query: Record<string, string> };
  parameters: { name: string; type: string }[];
  /** The query parameter the credential itself travels in, when a scheme sends it so. */
  keyParameter?: string;
}

function targetOf(provider: Provider, document: Document): Target {
  const entry = operationsOf(document).find(
    ({ path, method }) => method === 'get' && provider.pathPrefixes.some((prefix) => path.startsWith(prefix)) && !path.includes('{'),
  );
  if (!entry) throw new Error(`${provider.slug} publishes no GET without path parameters`);
  const [requirement = {}] = entry.operation.security ?? [];
  const schemes = provider.securitySchemes as unknown as Record<string, SecurityScheme>;
  const scheme = schemes[Object.keys(requirement)[0] ?? ''];
  if (!scheme) throw new Error(`${provider.slug} ${entry.path} names no security scheme`);
  const keyScheme = Object.values(schemes).find((each): each is SecurityScheme & { type: 'apiKey'; name: string } => each.type === 'apiKey' && each.in === 'query');
  const parameters = (entry.operation.parameters ?? []).flatMap((parameter) => {
    const { name, in: where, schema } = parameter as { name: string; in: string; schema?: { type?: string } };
    return where === 'query' && name !== keyScheme?.name ? [{ name, type: schema?.type ?? 'string' }] : [];
  });
  return {
    provider,
    path: entry.path,
    credential: credentialSent(scheme, demoOf(provider).value),
    parameters,
    keyParameter: keyScheme?.name,
  };
}

const ofType = (target: Target, type: string) => target.parameters.filter((parameter) => parameter.type === type).map(({ name }) => name);

describe.each(rails.map((provider) => [provider.title, provider] as const))('%s reads parameters as Rails does', (_title, provider) => {
  let app: FastifyInstance;
  let target: Target;
  beforeAll(async () => {
    app = await buildApp({ users: 5 });
    await app.ready();
    target = targetOf(provider, app.swagger() as unknown as Document);
  });
  afterAll(() => app.close());

  /** The operation called with the demo credential, `query` added to the URL and `body` sent as JSON (or as `type` says). */
  function call(query: Record<string, string>, body?: unknown, type = JSON_TYPE): Promise<Awaited<ReturnType<FastifyInstance['inject']>>> {
    const options: InjectOptions = {
      method: 'GET',
      url: withQuery(withQuery(target.path, target.credential.query), query),
      headers: { ...target.credential.headers, ...(body === undefined ? {} : { 'content-type': type }) },
    };
    if (body !== undefined) options.payload = typeof body === 'string' ? body : JSON.stringify(body);
    return app.inject(options);
  }

  function expectRefused(response: Awaited<ReturnType<typeof call>>, name: string, label: string): void {
    expect(response.statusCode, label).toBe(400);
    expect(errorFormatProblem(provider.slug as ProviderSlug, 400, response.json()), label).toBeUndefined();
    expect(response.body, label).toContain(`'${name}'`);
  }

  function expectTaken(response: Awaited<ReturnType<typeof call>>, name: string, label: string): void {
    expect(response.statusCode, label).toBeLessThan(500);
    expect(response.body, label).not.toContain(`'${name}'`);
  }

  it('declares the parameters its page lists, in the query string, each with its type', () => {
    expect(target.parameters.length + (target.keyParameter ? 1 : 0)).toBeGreaterThan(0);
  });

  it('an integer parameter takes an integer or decimal digits, in the query string and in the body alike', async () => {
    for (const name of ofType(target, 'integer')) {
      for (const value of NOT_INTEGERS_IN_JSON) expectRefused(await call({}, { [name]: value }), name, `${name}: ${JSON.stringify(value)} in the body`);
      for (const value of NOT_INTEGERS_IN_TEXT) expectRefused(await call({ [name]: value }), name, `?${name}=${value}`);
      for (const value of [2, '2']) expectTaken(await call({}, { [name]: value }), name, `${name}: ${JSON.stringify(value)} in the body`);
      expectTaken(await call({ [name]: '2' }), name, `?${name}=2`);
    }
  });

  it('a boolean parameter takes true or false, as such or as text, in the query string and in the body alike', async () => {
    for (const name of ofType(target, 'boolean')) {
      for (const value of NOT_BOOLEANS_IN_JSON) expectRefused(await call({}, { [name]: value }), name, `${name}: ${JSON.stringify(value)} in the body`);
      for (const value of NOT_BOOLEANS_IN_TEXT) expectRefused(await call({ [name]: value }), name, `?${name}=${value}`);
      for (const value of [true, false, 'true', 'false']) expectTaken(await call({}, { [name]: value }), name, `${name}: ${JSON.stringify(value)} in the body`);
      for (const value of ['true', 'false']) expectTaken(await call({ [name]: value }), name, `?${name}=${value}`);
    }
  });

  it('no parameter answers a 5xx, whatever JSON type it is sent as', async () => {
    for (const { name } of target.parameters) {
      for (const value of ANY_JSON) {
        const response = await call({}, { [name]: value });
        expect(response.statusCode, `${name}: ${JSON.stringify(value)}`).toBeLessThan(500);
      }
    }
  });

  it('a parameter in both the query string and the body takes the query string’s value', async () => {
    for (const name of ofType(target, 'integer')) {
      expectTaken(await call({ [name]: '2' }, { [name]: '1e3' }), name, `?${name}=2 over a body's 1e3`);
      expectRefused(await call({ [name]: '1e3' }, { [name]: '2' }), name, `?${name}=1e3 over a body's 2`);
    }
    if (target.keyParameter) {
      const key = target.keyParameter;
      const { value } = demoOf(provider);
      const valid = await app.inject({ url: `${target.path}?${key}=${value}`, headers: { 'content-type': JSON_TYPE }, payload: JSON.stringify({ [key]: 'unknown' }) });
      expect(valid.statusCode).toBe(200);
      const unknown = await app.inject({ url: `${target.path}?${key}=unknown`, headers: { 'content-type': JSON_TYPE }, payload: JSON.stringify({ [key]: value }) });
      expect(unknown.statusCode).toBe(401);
    }
  });

  /** Whether a body of this type and text is read: an integer parameter's bad value is refused, or the key in it opens the account. */
  async function bodyIsRead(type: string | undefined, encode: (params: Record<string, string>) => string): Promise<boolean> {
    const [integer] = ofType(target, 'integer');
    if (integer) {
      const response = await app.inject({
        url: withQuery(target.path, target.credential.query),
        headers: { ...target.credential.headers, ...(type ? { 'content-type': type } : {}) },
        payload: encode({ [integer]: '1e3' }),
      });
      expect(response.statusCode).toBeLessThan(500);
      return response.statusCode === 400 && response.body.includes(`'${integer}'`);
    }
    const key = target.keyParameter!;
    const response = await app.inject({ url: target.path, headers: type ? { 'content-type': type } : {}, payload: encode({ [key]: demoOf(provider).value }) });
    expect([200, 401]).toContain(response.statusCode);
    return response.statusCode === 200;
  }

  const json = (params: Record<string, string>) => JSON.stringify(params);
  const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

  it.each([
    ['application/json', JSON_TYPE, json, true],
    ['application/json with a charset', `${JSON_TYPE}; charset=utf-8`, json, true],
    ['a +json type', 'application/vnd.api+json', json, true],
    ['a form', FORM_TYPE, form, true],
    ['text/plain', 'text/plain', json, false],
    ['application/xml', 'application/xml', json, false],
    ['JSON sent as a form (curl -d without a type): one form key', FORM_TYPE, json, false],
  ] as const)('reads a body sent as %s: %s', async (_name, type, encode, read) => {
    expect(await bodyIsRead(type, encode)).toBe(read);
  });

  it('takes a JSON body that is not an object as the one parameter _json, not as an error', async () => {
    for (const body of ['[1,2]', '"text"', '3', 'null']) {
      const response = await call({}, body);
      expect(response.statusCode, body).toBe(200);
    }
  });

  it('answers a malformed JSON body with a 400 in its envelope', async () => {
    const response = await call({}, '{"a":');
    expect(response.statusCode).toBe(400);
    expect(errorFormatProblem(provider.slug as ProviderSlug, 400, response.json())).toBeUndefined();
  });

  it('answers each documented request with a .json format suffix as without it', async () => {
    const documented = readExamples(provider.slug).filter(({ example }) => example.request.method === 'GET' && example.response.status === 200);
    expect(documented.length).toBeGreaterThan(0);
    for (const { file, example } of documented) {
      const [path = '', search] = example.request.url.split('?');
      const url = `${path}.json${search === undefined ? '' : `?${search}`}`;
      app.mock.reset();
      const response = await app.inject({ method: 'GET', url, headers: example.request.headers, payload: example.request.body });
      expect(response.statusCode, `${file}: ${url}`).toBe(200);
      expect(response.json(), `${file}: ${url}`).toEqual(example.response.body);
    }
  });
});

describe('the providers that are not Rails applications', () => {
  it.each(providers.filter((provider) => provider.framework !== 'rails').map((provider) => [provider.title, provider] as const))(
    '%s serves no .json format suffix',
    async (_title, provider) => {
      const app = await makeApp();
      const [documented] = readExamples(provider.slug).filter(({ example }) => example.request.method === 'GET' && example.response.status === 200);
      const { url, headers } = documented!.example.request;
      const [path = ''] = url.split('?');
      const response = await app.inject({ url: `${path}.json`, headers });
      expect(response.statusCode).toBe(404);
    },
  );
});
