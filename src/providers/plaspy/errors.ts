import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { ErrorFormatter } from '../../http/error-format.js';
import type { MockHttpError } from '../../http/http-error.js';
import { type Step, andThen } from '../../state/step.js';
import type { ErrorBody, Usage } from './schemas.js';

export const UNAUTHORIZED_MESSAGE = 'Authentication failed. Invalid token.';
export const USER_NOT_FOUND_MESSAGE = 'User not found.';

function defaultMessage(status: number): string {
  return status === 401 ? UNAUTHORIZED_MESSAGE : (STATUS_CODES[status] ?? 'Error');
}

/** Plaspy's documented error envelope: `{ success: false, error, apiUsage, apiDailyUsage }`. */
function errorBody(status: number, usage: Usage, message = defaultMessage(status)): ErrorBody {
  return { success: false, error: message, ...usage };
}

/** The envelope errorBody writes, exactly, whatever the status: the caller's usage is a count. */
export function errorEnvelope(_status: number) {
  return Type.Object(
    {
      success: Type.Literal(false),
      error: Type.String({ minLength: 1 }),
      apiUsage: Type.Integer({ minimum: 0 }),
      apiDailyUsage: Type.Integer({ minimum: 0 }),
    },
    { additionalProperties: false },
  );
}

/** Every error in Plaspy's envelope, with the usage of whoever made the call. */
export function createErrorFormatter(usageOf: (error: MockHttpError, request: FastifyRequest) => Step<Usage>): ErrorFormatter {
  return (error, request) =>
    andThen(usageOf(error, request), (usage) => ({ body: errorBody(error.statusCode, usage, error.message || undefined) }));
}
