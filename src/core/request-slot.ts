import type { FastifyRequest } from 'fastify';

/**
 * A typed value attached to a request by one hook and read by a later handler (the caller's
 * account, for instance), without widening FastifyRequest for every provider.
 */
export function createRequestSlot<T>(name: string) {
  const values = new WeakMap<FastifyRequest, T>();
  return {
    set(request: FastifyRequest, value: T): void {
      values.set(request, value);
    },
    get(request: FastifyRequest): T {
      const value = values.get(request);
      if (value === undefined) throw new Error(`${name} was read before it was set`);
      return value;
    },
  };
}
