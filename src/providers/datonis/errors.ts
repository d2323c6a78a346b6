import { Type } from '@sinclair/typebox';
import { STATUS_CODES } from 'node:http';
import type { ErrorFormatter } from '../../http/error-format.js';
import type { ErrorBody } from './schemas.js';

export const MESSAGES = {
  unauthorized: 'Invalid or missing X-Auth-Token',
  childKeyRequired: 'child_organisation_key is required when is_oem is present',
  childNotFound: 'No child organisation with this child_organisation_key',
  notOem: 'This organisation is not an OEM organisation and has no child organisations',
  malformedBody: 'The request body is not valid JSON',
};

function errorBody(status: number, message: string): ErrorBody {
  return { error: { code: status, message } };
}

/** The envelope errorBody writes for a status, exactly. */
export function errorEnvelope(status: number) {
  return Type.Object(
    { error: Type.Object({ code: Type.Literal(status), message: Type.String({ minLength: 1 }) }, { additionalProperties: false }) },
    { additionalProperties: false },
  );
}

/** Datonis's error envelope: `{ "error": { "code", "message" } }` (the page documents none). */
export const formatError: ErrorFormatter = (error) => ({
  body: errorBody(
    error.statusCode,
    error.message || (error.statusCode === 401 ? MESSAGES.unauthorized : (STATUS_CODES[error.statusCode] ?? 'Error')),
  ),
});
