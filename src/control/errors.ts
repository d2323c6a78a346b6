import { STATUS_CODES } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { ErrorFormatter } from '../http/error-format.js';

export const ControlErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
});

export function controlError(status: number, message: string) {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
}

/** The control plane's own error body, `{ statusCode, error, message }`. */
export const formatControlError: ErrorFormatter = (error) => ({
  body: controlError(error.statusCode, error.message || (STATUS_CODES[error.statusCode] ?? 'Error')),
});
