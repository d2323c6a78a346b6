import type { FastifyInstance, FastifyRequest } from 'fastify';
import { setTimeout as delay } from 'node:timers/promises';
import { type FaultRegistry, parsePrefer } from './faults.js';
import { MockHttpError } from './http-error.js';

const providerOfRequest = new WeakMap<FastifyRequest, string>();

/** The slug of the provider that served this request; null for the control plane and unknown paths. */
export function providerOf(request: FastifyRequest): string | null {
  return providerOfRequest.get(request) ?? null;
}

/** Marks a request as the provider's though none of its routes served it (an unknown path under its prefix). */
export function markProvider(request: FastifyRequest, slug: string): void {
  providerOfRequest.set(request, slug);
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
  });
  scope.addHook('onRequest', async (request) => {
    providerOfRequest.set(request, slug);
    const action = parsePrefer(request.headers.prefer) ?? faults.take(slug, request.routeOptions.url);
    if (!action) return;
    if (action.delayMs) await delay(action.delayMs);
    if (action.status !== undefined && action.status >= 400) {
      throw new MockHttpError(action.status, action.message ?? '');
    }
  });
}
