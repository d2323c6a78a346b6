import { Type } from '@sinclair/typebox';
import { StringEnum } from '../http/string-enum.js';

export const TAGS = ['Control plane'];

export const PagingQuerySchema = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000_000, default: 1 }),
  per: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

export function providerSlugSchema(slugs: readonly string[]) {
  return StringEnum(slugs, { description: 'A provider’s slug' });
}

export function faultSpecSchema(slugs: readonly string[]) {
  return Type.Object(
    {
      provider: providerSlugSchema(slugs),
      route: Type.Optional(
        Type.String({ minLength: 1, description: 'One route as declared, e.g. /api/users/:userId; all of the provider’s when absent' }),
      ),
      status: Type.Optional(
        Type.Integer({ minimum: 400, maximum: 599, description: 'Answer with this status in the provider’s error format' }),
      ),
      message: Type.Optional(Type.String({ maxLength: 1000, description: 'The error message; the provider’s usual one when absent' })),
      delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'Added latency, milliseconds' })),
      times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'For the next N matching requests only' })),
      probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Applies to each matching request with this probability' })),
    },
    { additionalProperties: false },
  );
}

export const FaultSchema = Type.Object({
  id: Type.String(),
  provider: Type.String(),
  route: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer()),
  message: Type.Optional(Type.String()),
  delayMs: Type.Optional(Type.Integer()),
  times: Type.Optional(Type.Integer()),
  probability: Type.Optional(Type.Number()),
  hits: Type.Integer({ description: 'Requests it has applied to so far' }),
});

export const JournalEntrySchema = Type.Object({
  id: Type.Integer(),
  time: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  path: Type.String(),
  query: Type.Record(Type.String(), Type.Unknown()),
  headers: Type.Record(Type.String(), Type.Unknown()),
  body: Type.Unknown(),
  status: Type.Integer(),
  durationMs: Type.Number(),
  replica: Type.Optional(Type.String({ description: 'The replica that served it (MOCK_REPLICA_ID), when several share the state' })),
});

export const DemoCredentialSchema = Type.Object({
  label: Type.String(),
  scheme: Type.String(),
  value: Type.String(),
  example: Type.String(),
});
