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
 * The body as text, refused with a 413 once it passes `limit`. The stream is left open then (a
 * for-await loop would destroy it, and the connection with it, before the 413 could be read): the
 * error handler reads and drops the rest.
 */
function readBody(request: FastifyRequest, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const raw = request.raw;
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      raw.off('data', onData);
      raw.off('end', onEnd);
      raw.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        raw.pause();
        reject(new MockHttpError(413, `Request body is larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    raw.on('data', onData);
    raw.on('end', onEnd);
    raw.on('error', onError);
  });
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
  const text = (await readBody(request, limit)).trim();
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
