import { Type } from '@sinclair/typebox';
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

export const formatError: ErrorFormatter = (error) => ({
  body: errorBody(error.statusCode, error.message || undefined),
});
