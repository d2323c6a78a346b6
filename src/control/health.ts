import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { shuttingDown } from '../http/shutdown.js';

export const HealthSchema = Type.Object(
  { status: Type.Literal('ok') },
  { description: 'The mock is up and serving every provider' },
);

const UnhealthySchema = Type.Object(
  { status: Type.Literal('unavailable'), message: Type.String({ description: 'What cannot be reached: the shared state store' }) },
  { description: 'The mock cannot serve: its shared state (--state-url) cannot be reached' },
);

interface HealthOptions {
  /** Undefined while the mock's state can be used; what is wrong when it cannot. */
  problem?: () => Promise<string | undefined>;
}

/**
 * `GET /__mock/health`: 200 once the mock serves requests; 503 naming the state store while a
 * shared state cannot be reached, or while the process shuts down, so that a load balancer or a
 * container health check stops sending traffic.
 */
export const health: FastifyPluginAsyncTypebox<HealthOptions> = async (scope, { problem }) => {
  scope.get(
    '/__mock/health',
    {
      schema: {
        tags: ['Control plane'],
        summary: 'Health check',
        description:
          'Answers 200 `{"status":"ok"}` while the mock serves requests; for container and CI health checks. 503 while its shared state (--state-url) cannot be reached.',
        response: { 200: HealthSchema, 503: UnhealthySchema },
      },
    },
    async (request, reply) => {
      if (shuttingDown(request)) return reply.code(503).send({ status: 'unavailable' as const, message: 'The mock is shutting down' });
      const message = await problem?.();
      if (message !== undefined) return reply.code(503).send({ status: 'unavailable' as const, message });
      return { status: 'ok' as const };
    },
  );
};
