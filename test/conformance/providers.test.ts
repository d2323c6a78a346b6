import { readdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { credentialsFor, type SecurityScheme } from '../../src/contract/credentials.js';
import { readExamples } from '../../src/data/examples.js';
import { fixturesDir } from '../../src/data/fixtures.js';
import { providers } from '../../src/providers.js';
import { credentialSent, demoCall, DEMO_CREDENTIALS } from '../credentials.js';
import { errorFormatProblem } from '../hardening/formats.js';
import { makeApp } from '../helpers.js';
import { readPage } from '../docs/markdown.js';
import { requestFromCurl } from '../production/curl.js';

const examples = providers.flatMap((provider) => readExamples(provider.slug).map(({ file, example }) => [file, example] as const));

/** Every status a fault or a Prefer header may force. */
const ERROR_STATUSES = Array.from({ length: 200 }, (_, i) => 400 + i);

describe('every provider in the list', () => {
  it('has a fixtures folder, and every fixtures folder is a provider’s', () => {
    const folders = readdirSync(fixturesDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.sort()).toEqual(providers.map((provider) => provider.slug).sort());
  });

  describe.each(providers.map((provider) => [provider.title, provider] as const))('%s', (_title, provider) => {
    let app: FastifyInstance;
    beforeAll(async () => {
      app = await buildApp({ users: 3 });
    });
    afterAll(() => app.close());

    it('has documented examples', () => {
      expect(readExamples(provider.slug).length).toBeGreaterThan(0);
    });

    it('has a demo credential for each of its security schemes; each answers its example command, sent the way the scheme says', async () => {
      for (const [name, scheme] of Object.entries(provider.securitySchemes)) {
        const demos = credentialsFor(scheme as unknown as SecurityScheme, DEMO_CREDENTIALS[provider.slug]);
        expect(demos.length, name).toBeGreaterThan(0);
        for (const demo of demos) {
          const request = requestFromCurl(demo.example.replaceAll('{base}', ''));
          const sent = credentialSent(scheme as unknown as SecurityScheme, demo.value);
          expect(request.headers, `${name}: ${demo.example}`).toMatchObject(sent.headers);
          const query = Object.fromEntries(new URL(request.url, 'http://mock').searchParams);
          expect(query, `${name}: ${demo.example}`).toMatchObject(sent.query);
          app.mock.reset();
          const response = await app.inject({ url: request.url, headers: request.headers });
          expect(response.statusCode, `${name}: ${demo.example}`).toBe(200);
        }
      }
    });

    it('answers every error status a fault can force in its envelope for that status', async () => {
      const { url, headers } = demoCall(provider);
      for (const status of ERROR_STATUSES) {
        const response = await app.inject({ url, headers: { ...headers, prefer: `code=${status}` } });
        expect(response.statusCode).toBe(status);
        expect(errorFormatProblem(provider.slug, status, response.json())).toBeUndefined();
      }
    });
  });
});

describe('documented examples, replayed against a fresh mock', () => {
  it.each(examples)('%s', async (_file, example) => {
    const app = await makeApp();
    const response = await app.inject({
      method: example.request.method as 'GET',
      url: example.request.url,
      headers: example.request.headers,
      payload: example.request.body,
    });
    expect(response.statusCode).toBe(example.response.status);
    expect(response.json()).toEqual(example.response.body);
  });
});

/** A provider's page in docs/providers/. */
function providerPage(slug: string): string {
  return readPage(`docs/providers/${slug}.md`);
}

const differing = examples.filter(([, example]) => example.differs !== undefined);

describe('documented examples the mock answers otherwise, each said so', () => {
  it('the Datonis page’s self-contradicting third example is one', () => {
    expect(differing.map(([file]) => file)).toContain('datonis/examples/order-by-first-name-desc-str-timestamps.json');
  });

  it.each(differing)('%s: the provider’s page names it as the exception, and the reason is kept', (file, example) => {
    const [slug = ''] = file.split('/');
    const section = providerPage(slug);
    expect(section).toMatch(/every documented example answers as documented, except/);
    expect(section).toContain(file.split('/').at(-1));
    expect(example.differs!.reason.length).toBeGreaterThan(40);
  });

  it.each(differing)('%s: the page’s records are the mock’s, in another order', (_file, example) => {
    const page = example.differs!.documented as { total_count: number; users: Record<string, unknown>[] };
    const mock = example.response.body as { total_count: number; users: Record<string, unknown>[] };
    expect(page.total_count).toBe(mock.total_count);
    const positions = page.users.map((shown) => mock.users.findIndex((user) => Object.entries(shown).every(([key, value]) => user[key] === value)));
    expect(positions).not.toContain(-1);
    expect(positions).not.toEqual(mock.users.map((_user, index) => index).slice(0, positions.length));
  });

  it('the mock’s order for the third Datonis example is the one asked for: first_name descending', () => {
    const [, example] = differing.find(([file]) => file.endsWith('order-by-first-name-desc-str-timestamps.json'))!;
    const names = (example.response.body as { users: { first_name: string }[] }).users.map((user) => user.first_name);
    expect(names).toEqual([...names].sort().reverse());
    expect(names).toEqual(['Mike', 'Jack', 'Bill']);
  });

  it('every provider page that claims its examples answer as documented names no exception it does not have', () => {
    for (const { slug } of providers) {
      const claimsException = /answers as documented, except/.test(providerPage(slug));
      expect(claimsException, slug).toBe(differing.some(([file]) => file.startsWith(`${slug}/`)));
    }
  });
});
