import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { REQUEST_BUDGET } from '../../src/verify/http.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = readme.split(/^## /m).find((part) => part.startsWith('Is the mock still right?')) ?? '';

describe('README: Is the mock still right?', () => {
  it('shows verify for every provider, at its real base URL', () => {
    for (const provider of providers) {
      expect(section).toMatch(new RegExp(`provider-mock verify ${provider.slug} +--base-url ${provider.serverUrl.replaceAll('.', '\\.')} `));
    }
  });

  it('has a scheduled workflow that verifies every provider with its credential as a secret', () => {
    const workflow = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(workflow).toMatch(/^\s+schedule:\n\s+- cron: /m);
    expect(workflow).toContain('secrets[matrix.secret]');
    for (const provider of providers) {
      expect(workflow).toMatch(new RegExp(`- provider: ${provider.slug}\\n\\s+base-url: ${provider.serverUrl.replaceAll('.', '\\.')}\\n\\s+secret: [A-Z_]+`));
    }
  });

  it('states the request budget and the exit statuses', () => {
    expect(section).toContain(`at most ${REQUEST_BUDGET} a run`);
    expect(section).toMatch(/`0` every check passed, `1` some drift, `2` it could not run/);
  });
});
