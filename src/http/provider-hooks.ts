import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parsePrefer } from '../state/faults.js';
import type { FaultState } from '../state/state.js';
import { settle } from '../state/step.js';
import { MockHttpError } from './http-error.js';
import { createRequestSlot } from './request-slot.js';

const providerSlot = createRequestSlot<string>('the provider of the request');

/** The slug of the provider that served this request; null for the control plane and unknown paths. */
export function providerOf(request: FastifyRequest): string | null {
  return providerSlot.find(request) ?? null;
}

/** Marks a request as the provider's though none of its routes served it (an unknown path under its prefix). */
export function markProvider(request: FastifyRequest, slug: string): void {
  providerSlot.set(request, slug);
}

/**
 * The hooks every provider scope gets before its own: it marks requests as the provider's, then
 * applies a `Prefer` header or a registered fault. A forced status is thrown, so that the provider's
 * own error handler writes it in the provider's format.
 */
export function installProviderHooks(
  scope: FastifyInstance,
  slug: string,
  faults: FaultState,
  routes: Set<string>,
): void {
  scope.addHook('onRoute', (route) => {
    routes.add(route.url);
  });
  // a callback hook: with no Prefer header and no fault it returns at once, without a promise
  scope.addHook('onRequest', (request, _reply, done) => {
    providerSlot.set(request, slug);
    const preferred = parsePrefer(request.headers.prefer);
    settle(
      // request.routeOptions is built anew at each read: read only when a fault may apply
      () => preferred ?? faults.take(slug, () => request.routeOptions.url),
      (action) => {
        if (!action) {
          done();
          return;
        }
        const forced = action.status !== undefined && action.status >= 400;
        const finish = () => done(forced ? new MockHttpError(action.status!, action.message ?? '') : undefined);
        if (action.delayMs) setTimeout(finish, action.delayMs);
        else finish();
      },
      done,
    );
  });
}
