import { Type } from '@sinclair/typebox';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import { JournalEntrySchema, TAGS, providerSlugSchema } from './schemas.js';

export function registerJournalRoutes(scope: TypedScope, runtime: MockRuntime, slugs: readonly string[]): void {
  scope.get(
    '/__mock/requests',
    {
      schema: {
        tags: TAGS,
        summary: 'The requests the providers received, oldest first',
        description: `The journal keeps the last ${runtime.config.journalSize} requests (MOCK_JOURNAL_SIZE); control-plane and /docs requests are not recorded.`,
        querystring: Type.Object({
          provider: Type.Optional(providerSlugSchema(slugs)),
          path: Type.Optional(Type.String({ description: 'Exact path, or a prefix ending with *' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Only the last N matching' })),
        }),
        response: {
          200: Type.Object({ capacity: Type.Integer(), total: Type.Integer(), requests: Type.Array(JournalEntrySchema) }),
        },
      },
    },
    async (request) => {
      const requests = await runtime.state.journal.list(request.query);
      return { capacity: runtime.state.journal.capacity, total: requests.length, requests };
    },
  );

  scope.delete(
    '/__mock/requests',
    { schema: { tags: TAGS, summary: 'Clear the journal', response: { 204: Type.Null() } } },
    async (_request, reply) => {
      await runtime.state.journal.clear();
      return reply.code(204).send(null);
    },
  );
}
