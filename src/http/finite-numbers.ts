import type { FastifyRequest, RouteOptions } from 'fastify';
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

/** Whether a JSON schema lets a number through anywhere inside it (coercion makes numbers of strings). */
function admitsNumbers(schema: unknown): boolean {
  if (schema === null || typeof schema !== 'object') return false;
  const { type } = schema as { type?: unknown };
  const types = Array.isArray(type) ? type : [type];
  if (types.includes('number') || types.includes('integer')) return true;
  return Object.values(schema).some(admitsNumbers);
}

/**
 * Validation turns a string such as "1e309" into Infinity and lets it pass as an integer (Ajv's
 * type coercion does not check the result). Once stored, such a value cannot be serialized, and
 * every later answer that shows it would fail: it is refused here, as any invalid input is. The
 * check is a preHandler of the routes whose schema admits numbers, and of no other.
 */
export function rejectNonFiniteNumbersOn(route: RouteOptions): void {
  const schema = route.schema as Record<string, unknown> | undefined;
  const parts = PARTS.filter(([part]) => admitsNumbers(schema?.[part]));
  if (parts.length === 0) return;
  const check = (request: FastifyRequest, _reply: unknown, done: (error?: Error) => void) => {
    for (const [, property, name] of parts) {
      const path = nonFinite(request[property]);
      if (path !== undefined) {
        done(new MockHttpError(400, `Invalid ${name}${path ? ` '${path}'` : ''}: must be a finite number`));
        return;
      }
    }
    done();
  };
  const existing = route.preHandler;
  route.preHandler = [check, ...(existing === undefined ? [] : Array.isArray(existing) ? existing : [existing])];
}
