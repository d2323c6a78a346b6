import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import Fastify from 'fastify';
import { MockHttpError } from './http-error.js';
import { TOO_DEEP, nestedDeeperThan } from './nesting.js';

type Done = (error: Error | null, body?: unknown) => void;

const { FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_MEDIA_TYPE } = Fastify.errorCodes;

export const MALFORMED_JSON = 'The request body is not valid JSON';

/**
 * The body as text, refused as Fastify refuses it once it passes the route's limit. The stream is
 * left paused then, as Fastify leaves it: the error handler reads and drops the rest.
 */
function readText(request: FastifyRequest, payload: Readable, done: (error: Error | null, text?: string) => void): void {
  const limit = request.routeOptions.bodyLimit ?? Number.POSITIVE_INFINITY;
  if (Number(request.headers['content-length']) > limit) {
    done(new FST_ERR_CTP_BODY_TOO_LARGE());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const stop = () => {
    payload.off('data', onData);
    payload.off('end', onEnd);
    payload.off('error', onEnd);
  };
  const onData = (chunk: Buffer | string) => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > limit) {
      stop();
      payload.pause();
      done(new FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    chunks.push(bytes);
  };
  const onEnd = (error?: Error) => {
    stop();
    if (error) done(error);
    else done(null, Buffer.concat(chunks).toString('utf8'));
  };
  payload.on('data', onData);
  payload.on('end', onEnd);
  payload.on('error', onEnd);
  payload.resume();
}

/** A parser of the root's that leaves a GET's body unread, and reads any other's as `parse` does. */
function unlessGet(parse: (request: FastifyRequest, text: string, done: Done) => void) {
  return (request: FastifyRequest, payload: Readable, done: Done): void => {
    if (request.method === 'GET') done(null, undefined);
    else readText(request, payload, (error, text) => (error ? done(error) : parse(request, text!, done)));
  };
}

/**
 * GET requests may carry a body, which Fastify then reads with the content-type parsers of the
 * route's scope (the Rails providers read it: their documented calls send their parameters so).
 * Every other scope keeps the root's parsers, which leave a GET's body unread, as before: not read
 * against the body limit, no JSON checked, and no 415 for its media type. Other methods are read
 * as Fastify's own parsers read them.
 */
export function readBodiesOfGet(app: FastifyInstance): void {
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', unlessGet(json));
  app.addContentTypeParser('text/plain', unlessGet((_request, text, done) => done(null, text)));
  // what Fastify answers a body it has no parser for (a 415, or the 404 of an unknown route), but a GET's goes unread
  app.addContentTypeParser('*', (request: FastifyRequest, _payload: unknown, done: Done) => {
    if (request.method === 'GET' || request.is404) done(null, undefined);
    else done(new FST_ERR_CTP_INVALID_MEDIA_TYPE());
  });
}

/** The bodies read from a form, which are text as a query string is, rather than JSON's values. */
const forms = new WeakSet<object>();

/** Whether a request body was read from a form. */
export function isFormBody(body: unknown): boolean {
  return typeof body === 'object' && body !== null && forms.has(body);
}

/**
 * A form body's fields in the shape Fastify gives a query string: a name sent more than once is a
 * list of its values. The same reading then applies to both (see rails-parameters.ts).
 */
export function formFields(text: string): Record<string, string | string[]> {
  const fields = new Map<string, string | string[]>();
  for (const [name, value] of new URLSearchParams(text)) {
    const before = fields.get(name);
    fields.set(name, before === undefined ? value : [before, value].flat());
  }
  const body = Object.fromEntries(fields);
  forms.add(body);
  return body;
}

/** A JSON body as Rails reads it: an object is its parameters; any other value is the parameter `_json`. */
function jsonParameters(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MockHttpError(400, MALFORMED_JSON);
  }
  // copying or serializing a deeper value recursively could overflow the stack
  if (nestedDeeperThan(parsed)) throw new MockHttpError(400, TOO_DEEP);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : { _json: parsed };
}

function parsing(read: (text: string) => unknown) {
  return (_request: FastifyRequest, body: string | Buffer, done: Done): void => {
    try {
      done(null, read(String(body)));
    } catch (error) {
      done(error as Error);
    }
  };
}

/**
 * A scope's bodies read by their Content-Type as Rails reads request parameters
 * (ActionDispatch's parameter parsers and Rack's form parsing): JSON for application/json and any
 * `+json` type, form fields for application/x-www-form-urlencoded, nothing from any other type
 * (text/plain, or `curl -d` with a type the service does not parse). Bounded by the body limit.
 */
export function readBodiesAsRails(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  for (const json of ['application/json', /^application\/[^;\s]+\+json(\s*;|$)/i]) {
    scope.addContentTypeParser(json, { parseAs: 'string' }, parsing(jsonParameters));
  }
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, parsing(formFields));
  scope.addContentTypeParser('*', (_request: FastifyRequest, _payload: unknown, done: Done) => done(null, undefined));
}
