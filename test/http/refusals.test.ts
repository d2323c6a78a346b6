import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { type ErrorFormatName, errorFormatProblem } from '../hardening/formats.js';
import { makeApp } from '../helpers.js';

const LIMIT = 1024;

/** Bodies a client may send by mistake: what each owner answers to them is in docs/reliability.md. */
const BODIES = {
  'malformed JSON': { 'content-type': 'application/json', payload: '{"a":' },
  'another media type': { 'content-type': 'application/xml', payload: '<a/>' },
  'a body over the limit': { 'content-type': 'application/json', payload: JSON.stringify({ blob: 'x'.repeat(LIMIT * 2) }) },
} as const;
type BodyKind = keyof typeof BODIES;

/** The one provider whose routes read a body (its documented calls send their parameters as a JSON body on the GET). */
const READS_ITS_BODY = 'datonis';

/** Each provider's documented successful GETs that send no body of their own. */
const documentedGets = providers.flatMap((provider) =>
  readExamples(provider.slug)
    .filter(({ example }) => example.request.method === 'GET' && example.request.body === undefined && example.response.status === 200)
    .slice(0, 1)
    .map(({ example }) => [provider.slug, example] as const),
);

describe('which refusals each owner answers', () => {
  it('tries a documented GET of every provider', () => {
    expect(documentedGets.map(([slug]) => slug).sort()).toEqual(providers.map((provider) => provider.slug).sort());
  });

  it.each(documentedGets)('%s GET routes: a body is refused only by the provider that reads it, and never with 415', async (slug, example) => {
    const app = await makeApp({ bodyLimit: LIMIT });
    for (const [kind, { payload, ...type }] of Object.entries(BODIES) as [BodyKind, (typeof BODIES)[BodyKind]][]) {
      const response = await app.inject({ method: 'GET', url: example.request.url, headers: { ...example.request.headers, ...type }, payload });
      const expected = slug !== READS_ITS_BODY ? 200 : kind === 'a body over the limit' ? 413 : 400;
      expect(response.statusCode, `${slug} ${kind}`).toBe(expected);
      if (expected !== 200) expect(errorFormatProblem(slug as ErrorFormatName, expected, response.json()), kind).toBeUndefined();
    }
  });

  it.each([...providers.map((provider) => [provider.slug, provider.pathPrefixes[0]!] as const), ['neutral', '/elsewhere'] as const])(
    '%s: a body sent with another method is read as JSON before the 404, and no media type is a 415',
    async (owner, prefix) => {
      const app = await makeApp({ bodyLimit: LIMIT });
      const expected: Record<BodyKind, number> = { 'malformed JSON': 400, 'another media type': 404, 'a body over the limit': 413 };
      for (const [kind, { payload, ...type }] of Object.entries(BODIES) as [BodyKind, (typeof BODIES)[BodyKind]][]) {
        const response = await app.inject({ method: 'POST', url: `${prefix}/users`, headers: type, payload });
        expect(response.statusCode, `${owner} ${kind}`).toBe(expected[kind]);
        expect(errorFormatProblem(owner as ErrorFormatName, expected[kind], response.json()), kind).toBeUndefined();
      }
    },
  );

  it('only the control plane’s own routes answer 415, to a body not sent as JSON, plain text included', async () => {
    const app = await makeApp({ bodyLimit: LIMIT });
    const expected: Record<BodyKind, number> = { 'malformed JSON': 400, 'another media type': 415, 'a body over the limit': 413 };
    for (const [method, url] of [['POST', '/__mock/datafiniti/accounts'], ['PATCH', '/__mock/datafiniti/accounts/AAAXXXXXXXXXXXX']] as const) {
      for (const [kind, { payload, ...type }] of Object.entries(BODIES) as [BodyKind, (typeof BODIES)[BodyKind]][]) {
        const response = await app.inject({ method, url, headers: type, payload });
        expect(response.statusCode, `${method} ${url} ${kind}`).toBe(expected[kind]);
        expect(errorFormatProblem('control', expected[kind], response.json()), kind).toBeUndefined();
      }
      // a browser posts text/plain without a preflight: refused before it is read (DNS rebinding, issue 15)
      const text = await app.inject({ method, url, headers: { 'content-type': 'text/plain' }, payload: 'token=x' });
      expect(text.statusCode).toBe(415);
      expect(errorFormatProblem('control', 415, text.json())).toBeUndefined();
    }
  });
});
