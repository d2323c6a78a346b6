import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyedRecords } from '../../data/keyed-records.js';
import { MockHttpError } from '../../http/http-error.js';
import { LiveIntegers, sendSerialized, serializeText } from '../../http/text-cache.js';
import type { TypedScope } from '../../http/typed-scope.js';
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

/** The fields of every answer that change at every call. */
const USAGE = ['apiUsage', 'apiDailyUsage'] as const;

/**
 * Sends an answer serialized once with the usage at zero, the call's usage put in; or, when the
 * kept text cannot take it, the answer `whole()` makes, serialized in full.
 */
function sendWithUsage(reply: FastifyReply, template: LiveIntegers | null, usage: Usage, whole: () => unknown): void {
  const text = template?.fill([usage.apiUsage, usage.apiDailyUsage]);
  if (text === undefined) reply.send(whole());
  else sendSerialized(reply, text);
}

export function registerRoutes(
  scope: TypedScope,
  store: PlaspyStore,
  caller: (request: FastifyRequest) => Account,
  usage: (request: FastifyRequest) => Usage,
): void {
  /** Each account's list, serialized once per version of its users. */
  const lists = new WeakMap<KeyedRecords<StoredUser>, { version: number; template: LiveIntegers | null }>();
  /** Each user's answer, serialized once per user record. */
  const users = new WeakMap<StoredUser, LiveIntegers | null>();

  // plain handlers: they send at once, without the promise of an async one
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
    (request, reply) => {
      const account = caller(request);
      let kept = lists.get(account.users);
      if (kept?.version !== account.users.version) {
        const users = store.listUsers(account.token).map(userAnswer);
        const zeros = { success: true, apiUsage: 0, apiDailyUsage: 0, users };
        kept = { version: account.users.version, template: LiveIntegers.of(serializeText(reply, zeros), USAGE) ?? null };
        lists.set(account.users, kept);
      }
      const counted = usage(request);
      sendWithUsage(reply, kept.template, counted, () => ({
        success: true,
        ...counted,
        users: store.listUsers(account.token).map(userAnswer),
      }));
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
    (request, reply) => {
      const account = caller(request);
      const user = store.lookupUser(account.token, request.params.userId);
      if (!user) throw new MockHttpError(404, USER_NOT_FOUND_MESSAGE);
      let template = users.get(user);
      if (template === undefined) {
        const zeros = { success: true, apiUsage: 0, apiDailyUsage: 0, ...userAnswer(user) };
        template = LiveIntegers.of(serializeText(reply, zeros), USAGE) ?? null;
        users.set(user, template);
      }
      const counted = usage(request);
      sendWithUsage(reply, template, counted, () => ({ success: true, ...counted, ...userAnswer(user) }));
    },
  );
}
