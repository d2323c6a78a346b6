import { STATUS_CODES } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { ErrorFormatter } from '../http/error-format.js';

const ControlErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    error: Type.String(),
    message: Type.String(),
  },
  { description: 'The control plane’s error body' },
);

type ControlErrorResponse = typeof ControlErrorSchema;

const WHEN: Record<number, string> = {
  400: 'The request is not valid: the message names the field and what is wrong with it',
  401: 'The admin token is required (MOCK_ADMIN_TOKEN) and was not sent, or is wrong',
  403: 'A write from a page on another origin (Origin, Sec-Fetch-Site), or a Host the control plane does not answer',
  404: 'No such record',
  409: 'A record with this id already exists',
  422: 'A limit of the control plane is reached (records added, faults, stored sizes): the message names it',
};

/**
 * The error answers a control-plane route declares beside its own: 400 and 401 on every route
 * (validation, and the admin token when one is set), and those given. They leave through the
 * control plane's error format; declared, they show in the OpenAPI document and on /docs.
 */
export function controlErrors(...statuses: number[]): Record<number, ControlErrorResponse> {
  return Object.fromEntries([400, 401, ...statuses].map((status) => [status, errorResponse(status)]));
}

/** One schema object per status, shared by every route: validators and serializers are compiled once per object. */
const responses = new Map<number, ControlErrorResponse>();

function errorResponse(status: number): ControlErrorResponse {
  let response = responses.get(status);
  if (!response) {
    response = { ...ControlErrorSchema, description: WHEN[status] ?? STATUS_CODES[status] ?? 'Error' };
    responses.set(status, response);
  }
  return response;
}

function controlError(status: number, message: string) {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
}

/** The control plane's own error body, `{ statusCode, error, message }`. */
export const formatControlError: ErrorFormatter = (error) => ({
  body: controlError(error.statusCode, error.message || (STATUS_CODES[error.statusCode] ?? 'Error')),
});
