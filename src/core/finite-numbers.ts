import type { FastifyRequest } from 'fastify';
import { MockHttpError } from './http-error.js';

const PARTS = [
  ['querystring', 'query', 'parameter'],
  ['params', 'params', 'path parameter'],
  ['body', 'body', 'body'],
] as const;

/** The dotted path of the first number in `value` that is not finite, or undefined. Iterative: bodies may nest deeply. */
function nonFinite(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'number' && !Number.isFinite(current)) return path;
    if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

/**
 * Validation turns a string such as "1e309" into Infinity and lets it pass as an integer (Ajv's
 * type coercion does not check the result). Once stored, such a value cannot be serialized, and
 * every later answer that shows it would fail: it is refused here, as any invalid input is.
 */
export function rejectNonFiniteNumbers(request: FastifyRequest): void {
  const schema = request.routeOptions.schema;
  if (!schema) return;
  for (const [part, property, name] of PARTS) {
    if (!schema[part]) continue;
    const path = nonFinite(request[property]);
    if (path !== undefined) throw new MockHttpError(400, `Invalid ${name}${path ? ` '${path}'` : ''}: must be a finite number`);
  }
}
