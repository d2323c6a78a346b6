import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../../core/http-error.js';
import type { TypedScope } from '../../core/typed-scope.js';
import { USER_NOT_FOUND_MESSAGE } from './errors.js';
import {
  ErrorSchema,
  UserParamsSchema,
  UserResponseSchema,
  UsersResponseSchema,
  type StoredUser,
  type Usage,
  type User,
} from './schemas.js';
import type { Account, PlaspyStore } from './store.js';

/** The one place a stored user becomes an answer: the password never leaves the store. */
export function userAnswer(user: StoredUser): User {
  return { ...user, password: null };
}

const errors = { 401: ErrorSchema, 404: ErrorSchema, '4xx': ErrorSchema, '5xx': ErrorSchema };

export function registerRoutes(
  scope: TypedScope,
  store: PlaspyStore,
  caller: (request: FastifyRequest) => Account,
  usage: (request: FastifyRequest) => Usage,
): void {
  scope.get(
    '/api/users',
    {
      schema: {
        tags: ['Plaspy'],
        summary: 'List the users',
        description:
          'Retrieves the list of users registered in the system, with name, email, country and other attributes.',
        security: [{ plaspyBearer: [] }],
        response: { 200: UsersResponseSchema, ...errors },
      },
    },
    async (request) => {
      const account = caller(request);
      return {
        success: true,
        ...usage(request),
        users: store.listUsers(account.token).map(userAnswer),
      };
    },
  );

  scope.get(
    '/api/users/:userId',
    {
      schema: {
        tags: ['Plaspy'],
        summary: 'Get a user',
        description:
          'Retrieves the details of a specific user: name, email, country, time zone and other attributes.',
        security: [{ plaspyBearer: [] }],
        params: UserParamsSchema,
        response: { 200: UserResponseSchema, ...errors },
      },
    },
    async (request) => {
      const account = caller(request);
      const user = store.lookupUser(account.token, request.params.userId);
      if (!user) throw new MockHttpError(404, USER_NOT_FOUND_MESSAGE);
      return { success: true, ...usage(request), ...userAnswer(user) };
    },
  );
}
