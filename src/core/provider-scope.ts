import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type FaultRegistry, parsePrefer } from './faults.js';
import { MockHttpError } from './http-error.js';

/** Requests under a provider's paths that none of its routes served. */
const unroutedProvider = new WeakMap<FastifyRequest, string>();

/** The slug of the provider that served this request; null for the control plane and unknown paths. */
export function providerOf(request: FastifyRequest): string | null {
  const provider = (request.routeOptions.config as { provider?: unknown } | undefined)?.provider;
  return typeof provider === 'string' ? provider : (unroutedProvider.get(request) ?? null);
}

/** Marks a request as the provider's though none of its routes served it (an unknown path under its prefix). */
export function markProvider(request: FastifyRequest, slug: string): void {
  unroutedProvider.set(request, slug);
}

/**
 * The hooks every provider scope gets before its own: it marks requests as the provider's, then
 * applies a `Prefer` header or a registered fault. A forced status is thrown, so that the provider's
 * own error handler writes it in the provider's format.
 */
export function installProviderHooks(
  scope: FastifyInstance,
  slug: string,
  faults: FaultRegistry,
  routes: Set<string>,
): void {
  scope.addHook('onRoute', (route) => {
    routes.add(route.url);
    // the route, not each request, carries its provider
    route.config = { ...route.config, provider: slug } as typeof route.config;
  });
  // a callback hook: with no Prefer header and no fault it returns at once, without a promise
  scope.addHook('onRequest', (request, _reply, done) => {
    const action = parsePrefer(request.headers.prefer) ?? faults.take(slug, request.routeOptions.url);
    if (!action) {
      done();
      return;
    }
    const forced = action.status !== undefined && action.status >= 400;
    const finish = () => done(forced ? new MockHttpError(action.status!, action.message ?? '') : undefined);
    if (action.delayMs) setTimeout(finish, action.delayMs);
    else finish();
  });
}
