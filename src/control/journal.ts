import { Type } from '@sinclair/typebox';
import { MockHttpError } from '../http/http-error.js';
import { asCredentialIdentity } from '../http/redaction.js';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import { HTTP_METHODS } from '../state/faults.js';
import type { JournalMatch } from '../state/journal.js';
import { StringEnum } from '../http/string-enum.js';
import { controlErrors } from './errors.js';
import { JournalEntrySchema, TAGS, providerSlugSchema } from './schemas.js';

function filterFields(slugs: readonly string[]) {
  return {
    provider: Type.Optional(providerSlugSchema(slugs)),
    path: Type.Optional(Type.String({ description: 'Exact path, or a prefix ending with *' })),
  };
}

export function journalPageSchema() {
  return Type.Object({
    capacity: Type.Integer({ description: 'How many requests the journal keeps' }),
    total: Type.Integer({ description: 'How many entries matched the filters, of which `requests` holds the last `limit` (older than `cursor`, when given)' }),
    requests: Type.Array(JournalEntrySchema),
    cursor: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Pass as `cursor` to read the matching entries older than these; null when there are none',
    }),
  });
}

export const JournalPageSchema = journalPageSchema();

export const JournalCountSchema = Type.Object(
  { count: Type.Integer({ description: 'How many entries matched' }) },
  { examples: [{ count: 3 }] },
);

/** How many entries a page of the journal holds, unless `limit` says, and at most: a page is read and serialized at once. */
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/** `query.<name>` and `header.<name>` parameters, the only ones beyond those declared. */
const FIELD_PARAMETER = /^(query|header)\.(.+)$/;

export function journalCountQuerySchema<const T extends readonly string[]>(slugs: T) {
  return Type.Object(
    {
      ...filterFields(slugs),
      method: Type.Optional(StringEnum(HTTP_METHODS, { description: 'Requests with this method only' })),
      status: Type.Optional(Type.Integer({ minimum: 0, maximum: 999, description: 'Requests answered with this status only' })),
      credential: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 10_000,
          description:
            'Requests that carried this credential, however the provider takes it: its identity as entries show it (`sha256:ab12cd34`), or the key or token itself',
        }),
      ),
    },
    {
      additionalProperties: Type.String({ maxLength: 10_000 }),
      description:
        'Beside these, `query.<name>=value` and `header.<name>=value` match a query parameter or a header (a secret as sent, or as the journal shows it)',
    },
  );
}

/** The count's query as a journal match; an unknown parameter is a 400 naming it. */
function matchOf(query: Record<string, unknown>): JournalMatch {
  const match: JournalMatch = {};
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (name === 'provider' || name === 'path' || name === 'method') match[name] = value as string;
    else if (name === 'status') match.status = value as number;
    else if (name === 'credential') match.credential = asCredentialIdentity(value as string);
    else {
      const field = FIELD_PARAMETER.exec(name);
      if (!field) throw new MockHttpError(400, `Unknown parameter '${name}': filters are provider, path, method, status, credential, query.<name> and header.<name>`);
      const [, kind, key] = field as unknown as [string, 'query' | 'header', string];
      // without a prototype, `__proto__` is a name like any other, not a setter that drops it
      if (kind === 'query') (match.query ??= Object.create(null) as Record<string, string>)[key] = String(value);
      else (match.headers ??= Object.create(null) as Record<string, string>)[key.toLowerCase()] = String(value);
    }
  }
  return match;
}

export function registerJournalRoutes(scope: TypedScope, runtime: MockRuntime, slugs: readonly string[]): void {
  const journal = runtime.state.journal;
  scope.get(
    '/__mock/requests',
    {
      schema: {
        tags: TAGS,
        summary: 'The requests the providers received, oldest first',
        description: `The journal keeps the last ${runtime.config.journalSize} requests (MOCK_JOURNAL_SIZE); control-plane and /docs requests are not recorded. \`total\` is how many matched, \`requests\` the last \`limit\` of them (${DEFAULT_PAGE} unless said, at most ${MAX_PAGE}); \`cursor\` reads the page before.`,
        querystring: Type.Object({
          ...filterFields(slugs),
          limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: DEFAULT_PAGE, description: `The last N matching, at most ${MAX_PAGE}` }),
          cursor: Type.Optional(Type.Integer({ minimum: 1, description: 'Only entries older than this one: the `cursor` of the page read before' })),
        }),
        response: { 200: JournalPageSchema, ...controlErrors() },
      },
    },
    async (request) => {
      const { total, requests, cursor } = await journal.page(request.query);
      return { capacity: journal.capacity, total, requests, cursor };
    },
  );

  scope.get(
    '/__mock/requests/count',
    {
      schema: {
        tags: TAGS,
        summary: 'How many requests match',
        description:
          'Filters by `provider`, `path` (a trailing * matches a prefix), `method`, `status`, `credential`, and `query.<name>=value` and `header.<name>=value`, all of which must match.',
        querystring: journalCountQuerySchema(slugs),
        response: { 200: JournalCountSchema, ...controlErrors() },
      },
    },
    async (request) => ({ count: await journal.count(matchOf(request.query as Record<string, unknown>)) }),
  );

  scope.delete(
    '/__mock/requests',
    { schema: { tags: TAGS, summary: 'Clear the journal', response: { 204: Type.Null(), ...controlErrors() } } },
    async (_request, reply) => {
      await journal.clear();
      return reply.code(204).send(null);
    },
  );
}
