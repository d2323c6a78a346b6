import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { MockHttpError } from './http-error.js';
import { keepReadingAfter } from './unrouted.js';

export interface WireError {
  body: unknown;
  headers?: Record<string, string>;
}

/** Turns a MockHttpError into one provider's wire format. */
export type ErrorFormatter = (error: MockHttpError, request: FastifyRequest) => WireError;

const CONTEXT_NAMES: Record<string, string> = { querystring: 'parameter', params: 'path parameter', headers: 'header' };

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
  const detail = params.additionalProperty ? 'is not a known field' : `${first.message ?? error.message}${allowed}`;
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
 * Installs the one error handler of a provider's scope: every error, validation errors included,
 * leaves in that provider's format, never in Fastify's default body.
 */
export function installErrorFormat(scope: FastifyInstance, format: ErrorFormatter): void {
  scope.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mockError = toMockHttpError(error);
    if (mockError.statusCode >= 500 && !(error instanceof MockHttpError)) {
      request.log.error({ err: error }, 'unexpected error');
    }
    const wire = format(mockError, request);
    keepReadingAfter(mockError, request, reply);
    reply
      .code(mockError.statusCode)
      .headers({ ...mockError.headers, ...wire.headers })
      .send(wire.body);
  });
}

/** `{ statusCode, error, message }`: for paths that belong to no provider. */
export const neutralErrorFormat: ErrorFormatter = (error) => ({
  body: {
    statusCode: error.statusCode,
    error: STATUS_CODES[error.statusCode] ?? 'Error',
    message: error.message || (STATUS_CODES[error.statusCode] ?? 'Error'),
  },
});
