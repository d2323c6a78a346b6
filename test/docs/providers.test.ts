import { describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { demoOf } from '../credentials.js';
import { section, tableRows } from './markdown.js';

const rows = tableRows(section('README.md', 'Providers'));

describe("the README's providers table, against the provider list", () => {
  it('has one row per provider, in the list’s order', () => {
    expect(rows.map(([title]) => title)).toEqual(providers.map((provider) => provider.title));
  });

  it.each(providers.map((provider) => [provider.slug, provider] as const))('%s: its first demo credential, and a link to its page', (slug, provider) => {
    const row = rows.find(([title]) => title === provider.title) ?? [];
    expect(row).toContain(`\`${demoOf(provider).value}\``);
    expect(row.at(-1)).toBe(`[docs/providers/${slug}.md](docs/providers/${slug}.md)`);
  });
});
