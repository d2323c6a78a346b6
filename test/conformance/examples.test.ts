import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { fixturesDir } from '../../src/data/fixtures.js';
import { makeApp } from '../helpers.js';

const examples = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((provider) => readExamples(provider.name).map(({ file, example }) => [file, example] as const));

describe('documented examples, replayed against a fresh mock', () => {
  it('has examples for every provider folder', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

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

/** The README's section of a provider, from its heading to the next. */
function readmeSection(title: string): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  return readme.split(/^### /m).find((section) => section.startsWith(`${title}\n`)) ?? '';
}

const differing = examples.filter(([, example]) => example.differs !== undefined);

describe('documented examples the mock answers otherwise, each said so', () => {
  it('the Datonis page’s self-contradicting third example is one', () => {
    expect(differing.map(([file]) => file)).toContain('datonis/examples/order-by-first-name-desc-str-timestamps.json');
  });

  it.each(differing)('%s: the README names it as the exception, and the reason is kept', (file, example) => {
    const [slug = ''] = file.split('/');
    const title = slug.charAt(0).toUpperCase() + slug.slice(1);
    const section = readmeSection(title);
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

  it('every section that claims its examples answer as documented names no exception it does not have', () => {
    for (const slug of readdirSync(fixturesDir)) {
      const title = slug.charAt(0).toUpperCase() + slug.slice(1);
      const claimsException = /answers as documented, except/.test(readmeSection(title));
      expect(claimsException, title).toBe(differing.some(([file]) => file.startsWith(`${slug}/`)));
    }
  });
});
