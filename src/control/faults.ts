import { Type } from '@sinclair/typebox';
import type { FaultSpec } from '../state/faults.js';
import { MockHttpError } from '../http/http-error.js';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import { FaultSchema, TAGS, faultSpecSchema, providerSlugSchema } from './schemas.js';

export function registerFaultRoutes(scope: TypedScope, runtime: MockRuntime, slugs: readonly string[], maxFaults: number): void {
  const ProviderFilter = Type.Object({ provider: Type.Optional(providerSlugSchema(slugs)) });

  scope.post(
    '/__mock/faults',
    {
      schema: {
        tags: TAGS,
        summary: 'Make a provider (or one of its routes) fail or slow down',
        description:
          'Matching requests answer `status` in the provider’s own error format, after `delayMs`, for the next `times` requests or with a `probability`. Faults apply in the order they were added; the first that matches wins.',
        body: faultSpecSchema(slugs),
        response: { 201: FaultSchema },
      },
    },
    async (request, reply) => {
      const spec = request.body as FaultSpec;
      if ((await runtime.state.faults.list()).length >= maxFaults) {
        throw new MockHttpError(422, `At most ${maxFaults} faults may be in force at once; DELETE /__mock/faults clears them`);
      }
      if (spec.status === undefined && spec.delayMs === undefined) {
        throw new MockHttpError(400, 'A fault needs a status, a delayMs, or both');
      }
      const routes = runtime.routes.get(spec.provider) ?? new Set<string>();
      if (spec.route !== undefined && !routes.has(spec.route)) {
        throw new MockHttpError(400, `No route '${spec.route}' in ${spec.provider}; its routes: ${[...routes].join(', ')}`);
      }
      return reply.code(201).send(await runtime.state.faults.add(spec));
    },
  );

  scope.get(
    '/__mock/faults',
    {
      schema: { tags: TAGS, summary: 'The faults in force', querystring: ProviderFilter, response: { 200: Type.Array(FaultSchema) } },
    },
    async (request) => await runtime.state.faults.list(request.query.provider),
  );

  scope.delete(
    '/__mock/faults',
    {
      schema: {
        tags: TAGS,
        summary: 'Clear faults (one provider’s, or all)',
        querystring: ProviderFilter,
        response: { 200: Type.Object({ cleared: Type.Integer() }) },
      },
    },
    async (request) => ({ cleared: await runtime.state.faults.clear(request.query.provider) }),
  );

  scope.delete(
    '/__mock/faults/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Clear one fault',
        params: Type.Object({ id: Type.String() }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const removed = await runtime.state.faults.remove(request.params.id);
      if (!removed) throw new MockHttpError(404, `No fault '${request.params.id}'`);
      return reply.code(204).send(null);
    },
  );
}
