import type { FastifyCorsOptions } from '@fastify/cors';
import type { FastifyRequest } from 'fastify';
import type { Provider } from '../provider.js';
import { markProvider } from './request-provider.js';
import { type PathOwner, ownerOf } from './refusals.js';

/** The origins of the `cors` setting: `*`, or a comma-separated list. */
function corsOrigins(setting: string): '*' | string[] {
  const origins = setting.split(',').map((origin) => origin.trim()).filter(Boolean);
  return origins.includes('*') ? '*' : origins;
}

/**
 * The request headers a browser may send: each provider's credential header, as its security
 * schemes name it (`Authorization` for HTTP schemes, the header of an API key), then the JSON
 * content type of a Datonis body and the mock's own `Prefer`. `Access-Control-Allow-Headers: *`
 * would not do: browsers never let it cover `Authorization`.
 */
function corsRequestHeaders(providers: readonly Provider[]): string[] {
  const headers = providers.flatMap((provider) =>
    Object.values(provider.securitySchemes).flatMap((scheme) => {
      if (scheme.type === 'http') return ['Authorization'];
      if (scheme.type === 'apiKey' && scheme.in === 'header') return [String(scheme.name)];
      return [];
    }),
  );
  return [...new Set([...headers, 'Content-Type', 'Prefer'])];
}

/**
 * @fastify/cors options for the `cors` setting. Only provider paths answer browsers (their routes,
 * and the errors under their prefixes, so that a page can read a 401 or a 404): the control plane
 * and the docs stay same-origin, since a page on another origin has no business resetting the
 * mock or reading its journal. A preflight on a provider path is that provider's request in the
 * journal and the logs. Answers expose every header (Fingerbank's `X-RateLimit-*` and
 * `Retry-After`); no credentials mode is needed, since the credentials are headers set by the page.
 */
export function corsOptions(setting: string, owners: readonly PathOwner[], providers: readonly Provider[]): FastifyCorsOptions {
  const allowed: FastifyCorsOptions = {
    origin: corsOrigins(setting),
    methods: ['GET', 'HEAD'],
    allowedHeaders: corsRequestHeaders(providers),
    exposedHeaders: '*',
    // an OPTIONS without the preflight headers gets the same empty 204, rather than a text/plain 400
    strictPreflight: false,
  };
  const refused: FastifyCorsOptions = { origin: false };
  return {
    delegator: (request: FastifyRequest, callback: (error: Error | null, options: FastifyCorsOptions) => void) => {
      const owner = ownerOf(owners, request.url);
      if (!owner?.slug) {
        callback(null, refused);
        return;
      }
      markProvider(request, owner.slug);
      callback(null, allowed);
    },
  };
}
