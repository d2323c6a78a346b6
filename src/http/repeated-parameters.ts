import type { TObject } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * Rails keeps the last value of a parameter sent more than once (`?key=a&key=b` is `b`), unless the
 * parameter is a list. For the providers whose pages come from Rails (Fingerbank, Datonis): the
 * parameters in `params` that the schema declares as scalars, each sent more than once, reduced to
 * the last value sent. A new object when one was reduced; `params` itself otherwise.
 */
export function lastOfRepeated(schema: TObject) {
  const scalars = Object.entries(schema.properties)
    .filter(([, property]) => (property as { type?: unknown }).type !== 'array')
    .map(([name]) => name);
  return (params: Record<string, unknown>): Record<string, unknown> => {
    let reduced = params;
    for (const name of scalars) {
      const value = params[name];
      if (!Array.isArray(value)) continue;
      if (reduced === params) reduced = { ...params };
      reduced[name] = value.at(-1);
    }
    return reduced;
  };
}

/** A route's preValidation hook that reduces its query string as `lastOfRepeated` does. */
export function keepLastOfRepeatedQuery(schema: TObject) {
  const reduce = lastOfRepeated(schema);
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    request.query = reduce(request.query as Record<string, unknown>);
    done();
  };
}
