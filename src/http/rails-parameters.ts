import type { SwaggerTransform } from '@fastify/swagger';
import type { TObject } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isFormBody, readBodiesAsRails } from './request-bodies.js';
import { lastOfRepeated } from './repeated-parameters.js';

/** Rails' `name[]=a&name[]=b` is the list parameter `name`, as `name=a&name=b` is here. */
function withoutBrackets(params: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(params)) {
    const name = key.endsWith('[]') ? key.slice(0, -2) : key;
    const before = out.get(name);
    out.set(name, before === undefined ? value : ([] as unknown[]).concat(before, value));
  }
  return out;
}

const readers = new WeakMap<object, (params: Record<string, unknown>) => Record<string, unknown>>();

/** One source of parameters as Rails reads it: a scalar sent more than once takes its last value. */
function readerOf(schema: TObject | undefined): (params: Record<string, unknown>) => Record<string, unknown> {
  if (!schema?.properties) return (params) => params;
  let reader = readers.get(schema);
  if (!reader) {
    const reduce = lastOfRepeated(schema);
    reader = (params) => reduce(Object.fromEntries(withoutBrackets(params)));
    readers.set(schema, reader);
  }
  return reader;
}

/**
 * The parameters of a request as a Rails controller sees them: the body's (read by its
 * Content-Type) with the query string's merged over them, as ActionDispatch::Http::Parameters
 * merges the query parameters over the request parameters. They replace `request.query`, which
 * the route's schema validates, so that one rule judges a parameter wherever it arrived. A form
 * is read as the query string is; a JSON body's values are taken as sent (`{"page":["2"]}` is a
 * list, not page 2).
 */
export function railsParameters(request: FastifyRequest): Record<string, unknown> {
  const read = readerOf(request.routeOptions.schema?.querystring as TObject | undefined);
  const query = read({ ...(request.query as Record<string, unknown>) });
  const body = request.body;
  if (body === undefined || body === null || typeof body !== 'object') return query;
  const sent = isFormBody(body) ? read({ ...(body as Record<string, unknown>) }) : (body as Record<string, unknown>);
  return { ...sent, ...query };
}

/**
 * Reads a scope's parameters as Rails does: bodies by their Content-Type, even on a GET, and the
 * query string merged over the body before validation. Routes keep their schemas' own names.
 */
export function readParametersAsRails(scope: FastifyInstance): void {
  readBodiesAsRails(scope);
  scope.addHook('preValidation', (request, _reply, done) => {
    request.query = railsParameters(request);
    done();
  });
}

const FORMAT_SUFFIX = /\.json(?=$|\?)/;

/**
 * Rails routes take a format suffix: `/api/v3/users.json` is `/api/v3/users` asking for JSON,
 * which every route here answers anyway. The URL without it, for paths under `prefixes`; the URL
 * itself otherwise.
 */
export function withoutFormatSuffix(prefixes: readonly string[]) {
  return (url: string): string => {
    if (!FORMAT_SUFFIX.test(url) || !prefixes.some((prefix) => url.startsWith(`${prefix}/`))) return url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (!path.endsWith('.json')) return url;
    return path.slice(0, -'.json'.length) + (query === -1 ? '' : url.slice(query));
  };
}

/** The media types a Rails route reads parameters from, besides its query string. */
export const PARAMETER_BODY_TYPES = ['application/json', 'application/x-www-form-urlencoded'];

/**
 * A route option that documents the route's query parameters as its request body too, for a
 * Rails route whose documented calls send them so (a JSON body on a GET). Only the OpenAPI
 * document sees it: the body is validated with the query string, once, after they are merged.
 */
export function parametersAlsoInBody(schema: TObject): { swaggerTransform: SwaggerTransform } {
  return {
    swaggerTransform: ({ schema: route, url }) => ({ schema: { ...route, body: schema, consumes: PARAMETER_BODY_TYPES }, url }),
  };
}
