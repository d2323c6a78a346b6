import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { DemoCredential, Provider, ProviderStore } from '../provider.js';
import { basicPair, credentialsFor, type SecurityScheme } from './credentials.js';
import { DEMO_CREDENTIALS_CSS, DEMO_CREDENTIALS_SCRIPT } from './docs-page-assets.js';
import { combinedDocument } from './documents.js';
import type { Document } from './operations.js';

/** How a scheme sends its credential, for a person: `HTTP basic`, `key in query`. */
function way(scheme: SecurityScheme): string {
  if (scheme.type === 'http') return `HTTP ${scheme.scheme}`;
  if (scheme.type === 'apiKey') return `${scheme.name} in ${scheme.in}`;
  return scheme.type;
}

/** What swagger-ui's authorize action takes for a scheme: user and password for basic, else the value. */
function authorizeValue(scheme: SecurityScheme, value: string): unknown {
  return scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic' ? basicPair(value) : value;
}

/**
 * The combined document as the docs page shows it: "Try it out" calls this very server, and each
 * security scheme lists the demo credentials it sends, in its description for a person and in
 * `x-demo-credentials` for the page's credential picker.
 */
function servedDocument(spec: Document, list: readonly Provider[], credentialsOf: (slug: string) => DemoCredential[]): Document {
  const document = combinedDocument(spec, list);
  document.servers = [{ url: '/', description: 'this mock' }];
  const schemes = document.components?.securitySchemes ?? {};
  for (const provider of list) {
    const credentials = credentialsOf(provider.slug);
    for (const name of Object.keys(provider.securitySchemes)) {
      const scheme = schemes[name] as SecurityScheme | undefined;
      const demo = scheme ? credentialsFor(scheme, credentials) : [];
      if (!scheme || demo.length === 0) continue;
      const listed = demo.map((credential) => `\`${credential.value}\` (${credential.label})`).join(', ');
      scheme.description = [scheme.description, `Demo credentials: ${listed}.`].filter(Boolean).join('\n\n');
      Object.assign(scheme, {
        'x-demo-credentials': {
          provider: provider.title,
          way: way(scheme),
          credentials: demo.map((credential) => ({ label: credential.label, value: authorizeValue(scheme, credential.value) })),
        },
      });
    }
  }
  return document;
}

/**
 * The demo credentials the docs show. With an admin token, the control plane is protected but the
 * docs are not (a browser opening /docs cannot send the token), so they show the credentials of the
 * seeded state only, as the start-up banner prints them, never those of accounts created since
 * through the control plane; with none, the control plane is open anyway, and they show every account.
 */
export function docsCredentials(stores: ReadonlyMap<string, ProviderStore>, adminToken: string | undefined): (slug: string) => DemoCredential[] {
  if (adminToken === undefined) return (slug) => stores.get(slug)?.demoCredentials() ?? [];
  const seeded = new Map([...stores].map(([slug, store]) => [slug, store.demoCredentials()]));
  return (slug) => seeded.get(slug) ?? [];
}

/** The interactive docs: one section per provider, demo credentials ready, requests sent to this mock. */
export function docsPageOptions(list: readonly Provider[], credentialsOf: (slug: string) => DemoCredential[]): FastifySwaggerUiOptions {
  return {
    routePrefix: '/docs',
    uiConfig: { layout: 'BaseLayout', tryItOutEnabled: true, displayRequestDuration: true, defaultModelsExpandDepth: -1 },
    theme: {
      title: 'provider-mock',
      js: [{ filename: 'demo-credentials.js', content: DEMO_CREDENTIALS_SCRIPT }],
      css: [{ filename: 'demo-credentials.css', content: DEMO_CREDENTIALS_CSS }],
    },
    transformSpecification: (spec) => servedDocument(spec as Document, list, credentialsOf),
  };
}
