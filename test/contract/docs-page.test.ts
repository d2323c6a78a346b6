import { describe, expect, it } from 'vitest';
import type { SecurityScheme } from '../../src/contract/credentials.js';
import type { Document } from '../../src/contract/operations.js';
import { providers } from '../../src/providers.js';
import { makeApp } from '../helpers.js';

describe('/docs', () => {
  it('serves the interactive page with the credential picker', async () => {
    const app = await makeApp();
    const page = await app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('theme/demo-credentials.js');
    const script = await app.inject({ url: '/docs/static/theme/demo-credentials.js' });
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain('x-demo-credentials');
  });

  it('sends "Try it out" to this server, one section per provider', async () => {
    const app = await makeApp();
    const document = (await app.inject({ url: '/docs/json' })).json<Document>();
    expect(document.servers).toEqual([{ url: '/', description: 'this mock' }]);
    expect(document.tags?.map((tag) => tag.name)).toEqual(expect.arrayContaining(providers.map((p) => p.title)));
  });

  it.each(providers.map((provider) => [provider.title, provider] as const))(
    '%s: its demo credentials are offered for its security schemes',
    async (_title, provider) => {
      const app = await makeApp();
      const document = (await app.inject({ url: '/docs/json' })).json<Document>();
      const offered = Object.keys(provider.securitySchemes).flatMap((name) => {
        const scheme = document.components?.securitySchemes?.[name] as SecurityScheme & {
          'x-demo-credentials'?: { provider: string; credentials: { label: string; value: unknown }[] };
        };
        return scheme['x-demo-credentials'] ? [{ name, description: scheme.description, ...scheme['x-demo-credentials'] }] : [];
      });
      expect(offered.length, 'schemes with demo credentials').toBeGreaterThan(0);
      const values = app.mock.storeOf(provider.slug).demoCredentials().map((credential) => credential.value);
      for (const scheme of offered) {
        expect(scheme.provider).toBe(provider.title);
        for (const credential of scheme.credentials) {
          const value = credential.value as string | { username: string; password: string };
          const shown = typeof value === 'string' ? value : value.password ? `${value.username}:${value.password}` : value.username;
          expect(values).toContain(shown);
          expect(scheme.description).toContain(shown);
        }
      }
    },
  );
});
