import type { FastifyRequest } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import { MockHttpError } from '../../http/http-error.js';
import { lastOfRepeated } from '../../http/repeated-parameters.js';
import { MESSAGES } from './errors.js';
import { UsersQuerySchema } from './schemas.js';

/** `?page=1&page=2` is page 2, as in Rails, which the page comes from; `field_list` is a list. */
const lastOfRepeatedParams = lastOfRepeated(UsersQuerySchema);

/** Whether the request announces a body: a length above zero, or a chunked one. */
export function hasBody(request: FastifyRequest): boolean {
  return Number(request.headers['content-length'] ?? 0) !== 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Fastify does not read bodies of GET requests, but the documented Datonis calls send their
 * parameters as a JSON body on a GET (`curl -X GET -d '{...}'`). Reads that body (JSON, or a form
 * body as `curl -d` sends without a Content-Type), bounded by the body limit.
 */
export async function readGetBody(request: FastifyRequest, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new MockHttpError(413, `Request body is larger than ${limit} bytes`);
  if (!hasBody(request)) return {};
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.raw) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new MockHttpError(413, `Request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  const type = request.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded') && !text.startsWith('{')) {
    return lastOfRepeatedParams({ ...parseQueryString(text) });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MockHttpError(400, MESSAGES.malformedBody);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MockHttpError(400, 'The request body must be a JSON object of parameters');
  }
  return parsed as Record<string, unknown>;
}

/** Rails-style `field_list[]=a` keys are the same parameter as `field_list=a`. */
function withoutBrackets(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    out[name] = out[name] === undefined ? value : ([] as unknown[]).concat(out[name], value);
  }
  return out;
}

/**
 * Query string and body together; the body wins where both name a parameter, and a scalar sent
 * more than once in the query string takes its last value, as in Rails.
 */
export function mergeParams(query: unknown, body: Record<string, unknown>): Record<string, unknown> {
  return { ...withoutBrackets(lastOfRepeatedParams({ ...(query as Record<string, unknown>) })), ...withoutBrackets(body) };
}
