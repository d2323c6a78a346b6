import type { FastifyRequest } from 'fastify';
import type { TypedScope } from '../../http/typed-scope.js';
import { ErrorSchema, UsersResponseSchema, type User } from './schemas.js';

export function registerRoutes(scope: TypedScope, caller: (request: FastifyRequest) => User): void {
  scope.get(
    '/v3/users',
    {
      schema: {
        tags: ['Datafiniti'],
        summary: 'View your Datafiniti account information and status',
        description:
          'The users endpoint lets you view the status of your Datafiniti account, including your plan information, credit usage, and account details.',
        security: [{ datafinitiBasic: [] }],
        response: { 200: UsersResponseSchema, 401: ErrorSchema },
      },
    },
    // a plain handler: it sends at once, without the promise of an async one
    (request, reply) => {
      reply.send([caller(request)]);
    },
  );
}
