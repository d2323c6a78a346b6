import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

export const HealthSchema = Type.Object(
  { status: Type.Literal('ok') },
  { description: 'The mock is up and serving every provider' },
);

/**
 * `GET /__mock/health`: 200 once the mock serves requests. While the process shuts down, Fastify
 * answers 503 instead, so a load balancer or a container health check stops sending traffic.
 */
export const health: FastifyPluginAsyncTypebox = async (scope) => {
  scope.get(
    '/__mock/health',
    {
      schema: {
        tags: ['Control plane'],
        summary: 'Health check',
        description: 'Answers 200 `{"status":"ok"}` while the mock serves requests; for container and CI health checks.',
        response: { 200: HealthSchema },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
};
