import { describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { REQUEST_BUDGET } from '../../src/verify/http.js';
import { readPage } from '../docs/markdown.js';

const guide = readPage('docs/verify.md');

describe('docs/verify.md', () => {
  it('shows verify for every provider, at its real base URL', () => {
    for (const provider of providers) {
      expect(guide).toMatch(new RegExp(`provider-mock verify ${provider.slug} +--base-url ${provider.serverUrl.replaceAll('.', '\\.')} `));
    }
  });

  it('has a scheduled workflow that verifies every provider with its credential as a secret', () => {
    const workflow = /```yaml\n([\s\S]*?)```/.exec(guide)?.[1] ?? '';
    expect(workflow).toMatch(/^\s+schedule:\n\s+- cron: /m);
    expect(workflow).toContain('secrets[matrix.secret]');
    for (const provider of providers) {
      expect(workflow).toMatch(new RegExp(`- provider: ${provider.slug}\\n\\s+base-url: ${provider.serverUrl.replaceAll('.', '\\.')}\\n\\s+secret: [A-Z_]+`));
    }
  });

  it('states the request budget and the exit statuses', () => {
    expect(guide).toContain(`at most ${REQUEST_BUDGET} a run`);
    expect(guide).toMatch(/`0` every check passed, `1` some drift, `2` it could not run/);
  });
});
