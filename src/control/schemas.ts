import { Type } from '@sinclair/typebox';
import { StringEnum } from '../http/string-enum.js';
import { REFUSAL_REASONS } from '../http/credential-refusal.js';
import { CONNECTION_FAULTS, HTTP_METHODS } from '../state/faults.js';

export const TAGS = ['Control plane'];

export const PagingQuerySchema = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000_000, default: 1 }),
  per: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
});

export function providerSlugSchema<const T extends readonly string[]>(slugs: T) {
  return StringEnum(slugs, { description: 'A provider’s slug' });
}

/** Header names as HTTP allows them (RFC 9110 tokens), values without line breaks. */
const HeadersSchema = Type.Record(
  Type.String({ pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$" }),
  Type.String({ maxLength: 1000, pattern: '^[\\t\\x20-\\x7e]*$' }),
  { maxProperties: 20, additionalProperties: false, description: 'Headers added to the answer, e.g. {"Retry-After": "2"}' },
);

/** What a fault, or one step of its sequence, does to a call. */
function actionFields() {
  return {
    status: Type.Optional(
      Type.Integer({ minimum: 400, maximum: 599, description: 'Answer with this status in the provider’s error format' }),
    ),
    message: Type.Optional(Type.String({ maxLength: 1000, description: 'The error message; the provider’s usual one when absent' })),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, description: 'Added latency, milliseconds' })),
    headers: Type.Optional(HeadersSchema),
    connection: Type.Optional(
      StringEnum(CONNECTION_FAULTS, {
        description:
          'Break the connection instead of answering: reset (destroyed, a TCP reset), hang (nothing sent until the client gives up or the server shuts down), empty (closed with no bytes), truncate (headers and half the body, then closed)',
      }),
    ),
  };
}

const FaultStepSchema = Type.Object(
  {
    pass: Type.Optional(Type.Literal(true, { description: 'Answer this call normally' })),
    ...actionFields(),
  },
  { additionalProperties: false, description: 'What one matching call gets: `{"pass": true}`, or a status, delay, headers or broken connection' },
);

export function faultSpecSchema<const T extends readonly string[]>(slugs: T) {
  return Type.Object(
    {
      provider: providerSlugSchema(slugs),
      route: Type.Optional(
        Type.String({ minLength: 1, description: 'One route as declared, e.g. /api/users/:userId; all of the provider’s when absent' }),
      ),
      method: Type.Optional(StringEnum(HTTP_METHODS, { description: 'One method only; every method when absent' })),
      credential: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 10_000,
          description: 'Calls with this key or token only, however the provider takes it (Datafiniti: the Basic user name)',
        }),
      ),
      ...actionFields(),
      sequence: Type.Optional(
        Type.Array(FaultStepSchema, {
          minItems: 1,
          maxItems: 1000,
          description: 'One step per matching call, in order; then the fault ends (or starts again with `repeat`). Instead of status, message, delayMs, headers and connection.',
        }),
      ),
      repeat: Type.Optional(Type.Boolean({ description: 'Start the sequence again once it has run through' })),
      times: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'For the next N matching requests only' })),
      probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Applies to each matching request with this probability' })),
    },
    {
      additionalProperties: false,
      // a sequence's steps run out into normal answers, so none of these needs a `pass` step
      // (whose key a scan for leaked passwords in /docs/json would take for one)
      examples: [
        { provider: 'fingerbank', status: 502, times: 2 },
        { provider: 'fingerbank', sequence: [{ status: 502 }, { status: 502 }] },
        { provider: 'plaspy', route: '/api/users', sequence: [{ status: 429, headers: { 'Retry-After': '1' } }, { delayMs: 100 }] },
        { provider: 'datafiniti', connection: 'reset', times: 1 },
      ],
    },
  );
}

export function faultSchema<const T extends readonly string[]>(slugs: T) {
  const { examples: _examples, ...spec } = faultSpecSchema(slugs);
  return Type.Object({
    id: Type.String(),
    ...spec.properties,
    hits: Type.Integer({ description: 'Requests it has applied to so far' }),
  });
}

export const JournalEntrySchema = Type.Object({
  id: Type.Integer(),
  time: Type.String(),
  provider: Type.Union([Type.String(), Type.Null()]),
  method: Type.String(),
  path: Type.String(),
  query: Type.Record(Type.String(), Type.Unknown()),
  headers: Type.Record(Type.String(), Type.Unknown()),
  body: Type.Unknown(),
  status: Type.Integer({ description: 'The status answered; 0 when a fault broke the connection (reset, hang, empty) and no answer was sent' }),
  responseBody: Type.Unknown({
    description: 'The body answered: JSON as JSON, other text as a string, null for none; over 16 KB (or nested too deep) a note {"truncated": true, "bytes"}',
  }),
  credential: Type.Union([Type.String(), Type.Null()], {
    description: 'An identity of the credential the call carried, however its provider takes it (`sha256:` and 8 hex digits of the secret’s SHA-256); null for none',
  }),
  durationMs: Type.Number(),
  reason: Type.Optional(
    StringEnum(REFUSAL_REASONS, { description: 'Why the credential was refused, on a 401: the provider’s body stays as documented, this says why' }),
  ),
  replica: Type.Optional(Type.String({ description: 'The replica that served it (MOCK_REPLICA_ID), when several share the state' })),
});

export const DemoCredentialSchema = Type.Object({
  label: Type.String(),
  scheme: Type.String(),
  value: Type.String(),
  example: Type.String(),
});
