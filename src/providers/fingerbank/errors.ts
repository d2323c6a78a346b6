import { Type } from '@sinclair/typebox';
import { STATUS_CODES } from 'node:http';
import type { ErrorFormatter } from '../../http/error-format.js';
import type { ErrorBody } from './schemas.js';

/** The page's Errors table, word for word. */
export const UNAUTHORIZED_MESSAGE = "This request is unauthorized. Either your key is invalid or wasn't specified.";
export const FORBIDDEN_MESSAGE = 'This request is forbidden. Your account may have been blocked.';
export const NOT_FOUND_MESSAGE = 'No user was found for the provided API key';
export const RATE_LIMITED_MESSAGE =
  'The amount of requests per minute has been exceeded. All accounts (even the unlimited ones) are rate limited to 250 requests per minute unless agreed otherwise with Inverse.';
const BAD_GATEWAY_MESSAGE =
  'No API backend was able to process the request. The system may be overloaded, in maintenance or experiencing an issue. Retrying shortly after should work.';

const DOCUMENTED: Record<number, string> = {
  401: UNAUTHORIZED_MESSAGE,
  403: FORBIDDEN_MESSAGE,
  404: NOT_FOUND_MESSAGE,
  429: RATE_LIMITED_MESSAGE,
  502: BAD_GATEWAY_MESSAGE,
};

function defaultMessage(status: number): string {
  return DOCUMENTED[status] ?? STATUS_CODES[status] ?? 'Error';
}

/** The page shows no error body; the mock answers `{ "message": "<the table's text>" }`. */
function errorBody(status: number, message = defaultMessage(status)): ErrorBody {
  return { message };
}

/** The envelope errorBody writes, exactly, whatever the status. */
export function errorEnvelope(_status: number) {
  return Type.Object({ message: Type.String({ minLength: 1 }) }, { additionalProperties: false });
}

/** A 429 forced by a fault has no window behind it: it asks the client to wait one full window. */
const FORCED_RETRY_AFTER_SECONDS = '60';

export const formatError: ErrorFormatter = (error) => ({
  body: errorBody(error.statusCode, error.message || undefined),
  headers:
    error.statusCode === 429 && error.headers['Retry-After'] === undefined
      ? { 'Retry-After': FORCED_RETRY_AFTER_SECONDS }
      : undefined,
});
