import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The property of every slot created so far. */
const keys: string[] = [];

/**
 * Declares one request property per request slot, so that each is a field of every request from
 * its construction on. A WeakMap per slot keyed by request, or an object of slots made per request,
 * would cost, per request, more than the rest of a small answer. Slots are made when their modules
 * load, before any app is built; one made later still works, as a property added to the request.
 */
export function installRequestSlots(app: FastifyInstance): void {
  for (const key of keys) app.decorateRequest(key, undefined);
}

/**
 * A typed value attached to a request by one hook and read by a later handler, on requests that
 * Fastify's own request decorators do not reach: those it builds for a router refusal and the
 * stand-ins of HTTP refused before parsing carry no scope's decorators. Within a provider's scope,
 * use `decorateRequest` with `getDecorator`/`setDecorator`.
 */
export function createRequestSlot<T>(name: string) {
  const key = `mockSlot${keys.length}`;
  keys.push(key);
  type Slotted = Record<string, T | undefined>;
  return {
    /** Sets the value; undefined clears it. */
    set(request: FastifyRequest, value: T | undefined): void {
      (request as unknown as Slotted)[key] = value;
    },
    /** The value, or undefined when none was set. */
    find(request: FastifyRequest): T | undefined {
      return (request as unknown as Slotted)[key];
    },
    get(request: FastifyRequest): T {
      const value = (request as unknown as Slotted)[key];
      if (value === undefined) throw new Error(`${name} was read before it was set`);
      return value;
    },
  };
}
