import { Type } from '@sinclair/typebox';
import { STATUS_CODES } from 'node:http';
import type { ErrorFormatter } from '../../http/error-format.js';
import type { ErrorBody } from './schemas.js';

export const UNAUTHORIZED_MESSAGE = 'Authentication required. Please provide a valid API token';

function defaultMessage(status: number): string {
  return status === 401 ? UNAUTHORIZED_MESSAGE : (STATUS_CODES[status] ?? 'Error');
}

/** Datafiniti's error envelope, as documented for 401: `{ error, message, code }`. */
function errorBody(status: number, message = defaultMessage(status)): ErrorBody {
  return { error: STATUS_CODES[status] ?? 'Error', message, code: status };
}

/** The envelope errorBody writes for a status, exactly. */
export function errorEnvelope(status: number) {
  return Type.Object(
    { error: Type.Literal(STATUS_CODES[status] ?? 'Error'), message: Type.String({ minLength: 1 }), code: Type.Literal(status) },
    { additionalProperties: false },
  );
}

export const formatError: ErrorFormatter = (error) => ({
  body: errorBody(error.statusCode, error.message || undefined),
});
