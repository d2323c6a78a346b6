import { STATUS_CODES } from 'node:http';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { exactEnvelope } from '../../src/http/error-envelope.js';
import { MockHttpError } from '../../src/http/http-error.js';
import { providers } from '../../src/providers.js';
import { createRuntime } from '../../src/runtime.js';
import { resolveConfig } from '../../src/config.js';
import { errorFormatOf } from '../../src/http/provider-scope.js';
import type { FastifyRequest } from 'fastify';

const Declared = Type.Object({ error: Type.Object({ code: Type.Integer(), message: Type.String() }), note: Type.String() });

describe('exactEnvelope', () => {
  const exact = exactEnvelope(Declared, { error: { code: Type.Literal(404) } });

  it('holds a body to the declared fields, the fixed ones to their value', () => {
    expect(Value.Check(exact, { error: { code: 404, message: 'gone' }, note: 'n' })).toBe(true);
    expect(Value.Check(exact, { error: { code: 500, message: 'gone' }, note: 'n' })).toBe(false);
  });

  it('refuses a field beside the declared ones, at any depth, and empty text', () => {
    expect(Value.Check(exact, { error: { code: 404, message: 'gone' }, note: 'n', extra: 1 })).toBe(false);
    expect(Value.Check(exact, { error: { code: 404, message: 'gone', extra: 1 }, note: 'n' })).toBe(false);
    expect(Value.Check(exact, { error: { code: 404, message: '' }, note: 'n' })).toBe(false);
  });
});

describe("every provider's error format", () => {
  const runtime = createRuntime(resolveConfig({ logLevel: 'silent', users: 0 }), () => Date.parse('2026-01-01T00:00:00Z'));
  const request = { url: '/', headers: {}, log: { error() {} } } as unknown as FastifyRequest;

  for (const provider of providers) {
    it(`${provider.slug}: writes bodies its envelope holds for every error status, and the envelope refuses a field beside them`, async () => {
      const format = errorFormatOf(provider, runtime.storeOf(provider.slug));
      for (const status of Object.keys(STATUS_CODES).map(Number).filter((code) => code >= 400)) {
        const { body } = await format(new MockHttpError(status, 'what went wrong'), request);
        expect(Value.Check(provider.errorEnvelope(status), body), `${status}: ${JSON.stringify(body)}`).toBe(true);
        expect(Value.Check(provider.errorEnvelope(status), { ...(body as object), extra: true })).toBe(false);
      }
    });
  }
});
