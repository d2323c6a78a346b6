import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import type { Provider, ProviderStore } from '../provider.js';
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
export function servedDocument(
  spec: Document,
  list: readonly Provider[],
  stores: ReadonlyMap<string, ProviderStore>,
): Document {
  const document = combinedDocument(spec, list);
  document.servers = [{ url: '/', description: 'this mock' }];
  const schemes = document.components?.securitySchemes ?? {};
  for (const provider of list) {
    const credentials = stores.get(provider.slug)?.demoCredentials() ?? [];
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

/** The interactive docs: one section per provider, demo credentials ready, requests sent to this mock. */
export function docsPageOptions(
  list: readonly Provider[],
  stores: ReadonlyMap<string, ProviderStore>,
): FastifySwaggerUiOptions {
  return {
    routePrefix: '/docs',
    uiConfig: { layout: 'BaseLayout', tryItOutEnabled: true, displayRequestDuration: true, defaultModelsExpandDepth: -1 },
    theme: {
      title: 'provider-mock',
      js: [{ filename: 'demo-credentials.js', content: DEMO_CREDENTIALS_SCRIPT }],
      css: [{ filename: 'demo-credentials.css', content: DEMO_CREDENTIALS_CSS }],
    },
    transformSpecification: (spec) => servedDocument(spec as Document, list, stores),
  };
}
