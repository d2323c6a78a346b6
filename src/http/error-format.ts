import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Step, settle } from '../state/step.js';
import { noteRefusal } from './credential-refusal.js';
import { MockHttpError } from './http-error.js';

export interface WireError {
  body: unknown;
  headers?: Record<string, string>;
}

/** Turns a MockHttpError into one provider's wire format (which may need the state: Plaspy's shows the caller's usage). */
export type ErrorFormatter = (error: MockHttpError, request: FastifyRequest) => Step<WireError>;

/**
 * A 413 is answered before the body has arrived: the connection is kept open, and what is left of
 * the body read and dropped, so that a client still sending it reads the answer. Closed at once,
 * the connection would be reset on the unread bytes, and the answer lost with them.
 */
function keepReadingAfter(error: MockHttpError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.statusCode !== 413 || request.raw.complete) return;
  reply.removeHeader('connection');
  // Node would close once the answer is written, on the unread bytes: when the client asked to
  // close, the connection is closed once the body has been read instead
  reply.raw.shouldKeepAlive = true;
  const raw = request.raw;
  if (raw.httpVersion === '1.0' || /\bclose\b/i.test(String(request.headers.connection ?? ''))) {
    raw.once('end', () => raw.socket.end());
  }
  raw.resume();
}

/** Sends an error in the wire format given. */
export function sendError(
  format: ErrorFormatter,
  error: MockHttpError,
  request: FastifyRequest,
  reply: FastifyReply,
  /** Told the body about to be sent, where no hook will see it (a refusal by the router). */
  sending?: (body: unknown, status: number) => void,
): void {
  keepReadingAfter(error, request, reply);
  settle(
    () => format(error, request),
    (wire) => {
      sending?.(wire.body, error.statusCode);
      reply
        .code(error.statusCode)
        .headers({ ...error.headers, ...wire.headers })
        .send(wire.body);
    },
    (failure) => {
      request.log.error({ err: failure }, 'error while formatting an error');
      const body = neutralErrorFormat(new MockHttpError(500, 'Internal server error')).body;
      sending?.(body, 500);
      reply.code(500).send(body);
    },
  );
}

const CONTEXT_NAMES: Record<string, string> = { querystring: 'parameter', params: 'path parameter', headers: 'header' };

type ValidationProblem = NonNullable<FastifyError['validation']>[number];

/**
 * A path parameter's problem in the mock's own words. A path parameter is part of the URL a client
 * built, not a field it filled in: the validator's wording ("must NOT have fewer than 1
 * characters") would describe the mock's schema rather than the request.
 */
function pathParameterProblem(problem: ValidationProblem): string {
  const { limit, type } = problem.params as { limit?: number; type?: string };
  switch (problem.keyword) {
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${limit} characters long`;
    case 'maxLength':
      return `must be at most ${limit} characters long`;
    case 'type':
      return type === 'integer' ? 'must be an integer' : `must be a ${type}`;
    case 'enum':
      return 'must be one of the allowed values';
    default:
      return 'is not a valid value here';
  }
}

/** Fastify's own client errors (bad JSON, too large, wrong media type), named for a person. */
function clientErrorMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  if (!first) return error.message;
  const where = CONTEXT_NAMES[error.validationContext ?? ''] ?? error.validationContext ?? 'request';
  const params = first.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const named = params.missingProperty ?? params.additionalProperty;
  const field = named ? [path, named].filter(Boolean).join('.') : path;
  const allowed = params.allowedValues ? ` (${params.allowedValues.join(', ')})` : '';
  const problem = error.validationContext === 'params' ? pathParameterProblem(first) : (first.message ?? error.message);
  const detail = params.additionalProperty ? 'is not a known field' : `${problem}${allowed}`;
  return field ? `Invalid ${where} '${field}': ${detail}` : `Invalid ${where}: ${detail}`;
}

/** Any error thrown while serving a request, as the status and message a client should see. */
export function toMockHttpError(error: unknown): MockHttpError {
  if (error instanceof MockHttpError) return error;
  const fastifyError = error as FastifyError;
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new MockHttpError(status, clientErrorMessage(fastifyError));
  }
  return new MockHttpError(500, 'Internal server error');
}

/**
 * The one error handler, of the app (in the format of the path's owner) and of each provider's
 * scope (in its own): every error, validation errors included, leaves in an owner's format, never
 * in Fastify's default body.
 */
export function installErrorHandler(scope: FastifyInstance, formatOf: (request: FastifyRequest) => ErrorFormatter): void {
  scope.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mockError = toMockHttpError(error);
    noteRefusal(error, request);
    if (mockError.statusCode >= 500 && !(error instanceof MockHttpError)) {
      request.log.error({ err: error }, 'unexpected error');
    }
    sendError(formatOf(request), mockError, request, reply);
  });
}

/** `{ statusCode, error, message }`: for paths that belong to no provider. */
export const neutralErrorFormat = (error: MockHttpError, _request?: FastifyRequest): WireError => ({
  body: {
    statusCode: error.statusCode,
    error: STATUS_CODES[error.statusCode] ?? 'Error',
    message: error.message || (STATUS_CODES[error.statusCode] ?? 'Error'),
  },
});
