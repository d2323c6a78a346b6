import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { ErrorFormatter } from '../../http/error-format.js';
import { exactEnvelope } from '../../http/error-envelope.js';
import { type ErrorBody, ErrorSchema } from './schemas.js';

export const UNAUTHORIZED_MESSAGE = 'Authentication required. Please provide a valid API token';

function defaultMessage(status: number): string {
  return status === 401 ? UNAUTHORIZED_MESSAGE : (STATUS_CODES[status] ?? 'Error');
}

/** Datafiniti's error envelope, as documented for 401: `{ error, message, code }`. */
function errorBody(status: number, message = defaultMessage(status)): ErrorBody {
  return { error: STATUS_CODES[status] ?? 'Error', message, code: status };
}

/** The envelope errorBody writes for a status, exactly: the declared schema, the status and its text held. */
export function errorEnvelope(status: number) {
  return exactEnvelope(ErrorSchema, { error: Type.Literal(STATUS_CODES[status] ?? 'Error'), code: Type.Literal(status) });
}

/** The challenge a 401 of a Basic scheme carries (RFC 7617), naming the protection space. */
export const BASIC_CHALLENGE = { 'WWW-Authenticate': 'Basic realm="Datafiniti API"' };

/**
 * Whether a page's script sent the request (fetch or XHR: Sec-Fetch-Mode cors or same-origin). A
 * browser answers a Basic challenge to those with its login prompt instead of handing the 401 to
 * the script, so it is left out for them (as Spring Security leaves it out for XHR): /docs shows
 * the 401. Every other client (curl, an SDK, a browser's address bar) is challenged.
 */
function fromPageScript(request: FastifyRequest): boolean {
  const mode = request.headers['sec-fetch-mode'];
  return mode === 'cors' || mode === 'same-origin';
}

export const formatError: ErrorFormatter = (error, request) => ({
  body: errorBody(error.statusCode, error.message || undefined),
  headers: error.statusCode === 401 && !fromPageScript(request) ? BASIC_CHALLENGE : undefined,
});
