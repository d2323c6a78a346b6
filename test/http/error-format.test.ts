import type { FastifyError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { neutralErrorFormat, toMockHttpError } from '../../src/http/error-format.js';
import { MockHttpError } from '../../src/http/http-error.js';

function validationError(context: string, problem: Record<string, unknown>): FastifyError {
  return Object.assign(new Error('validation'), {
    code: 'FST_ERR_VALIDATION',
    statusCode: 400,
    validationContext: context,
    validation: [{ instancePath: '', keyword: 'required', params: {}, schemaPath: '', message: 'must be valid', ...problem }],
  }) as unknown as FastifyError;
}

describe('toMockHttpError', () => {
  it('keeps a MockHttpError as thrown', () => {
    const error = new MockHttpError(418, 'teapot', { 'X-A': 'b' });
    expect(toMockHttpError(error)).toBe(error);
  });

  it('names the parameter a validation failed on, for a person', () => {
    expect(toMockHttpError(validationError('querystring', { params: { missingProperty: 'key' }, message: "must have required property 'key'" })).message).toBe(
      "Invalid parameter 'key': must have required property 'key'",
    );
    expect(toMockHttpError(validationError('body', { params: { additionalProperty: 'extra' } })).message).toBe("Invalid body 'extra': is not a known field");
  });

  it('words a path parameter as part of the URL, not the schema', () => {
    const error = toMockHttpError(validationError('params', { instancePath: '/userId', keyword: 'minLength', params: { limit: 1 } }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toBe("Invalid path parameter 'userId': must not be empty");
  });

  it('hides what is not a client error behind a plain 500', () => {
    const error = toMockHttpError(new TypeError('secret internals'));
    expect(error.statusCode).toBe(500);
    expect(error.message).toBe('Internal server error');
  });
});

describe('neutralErrorFormat', () => {
  it('writes { statusCode, error, message }, the status text standing in for an empty message', () => {
    expect(neutralErrorFormat(new MockHttpError(404, 'No route')).body).toEqual({ statusCode: 404, error: 'Not Found', message: 'No route' });
    expect(neutralErrorFormat(new MockHttpError(503, '')).body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'Service Unavailable' });
  });
});
