import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The values of every request slot of this request (see createRequestSlot). */
    mockSlots: Record<string, unknown> | null;
  }
}

/**
 * Declares the one property in which every request slot keeps its value. A WeakMap per slot keyed
 * by request would cost, per request, more than the rest of a small answer: each entry lives on in
 * the map's tables until a garbage collection clears it.
 */
export function installRequestSlots(app: FastifyInstance): void {
  app.decorateRequest('mockSlots', null);
}

let slots = 0;

/**
 * A typed value attached to a request by one hook and read by a later handler (the caller's
 * account, for instance), without widening FastifyRequest for every provider.
 */
export function createRequestSlot<T>(name: string) {
  const key = `${name}#${slots++}`;
  return {
    set(request: FastifyRequest, value: T): void {
      (request.mockSlots ??= {})[key] = value;
    },
    /** The value, or undefined when none was set. */
    find(request: FastifyRequest): T | undefined {
      return request.mockSlots?.[key] as T | undefined;
    },
    get(request: FastifyRequest): T {
      const value = request.mockSlots?.[key] as T | undefined;
      if (value === undefined) throw new Error(`${name} was read before it was set`);
      return value;
    },
  };
}
