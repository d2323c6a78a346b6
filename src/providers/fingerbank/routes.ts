import type { FastifyReply, FastifyRequest } from 'fastify';
import { MockHttpError } from '../../http/http-error.js';
import { keepLastOfRepeatedQuery } from '../../http/repeated-parameters.js';
import { LiveIntegers, sendSerialized, serializeText } from '../../http/text-cache.js';
import type { TypedScope } from '../../http/typed-scope.js';
import { type Step, andThen, settle } from '../../state/step.js';
import { FORBIDDEN_MESSAGE, NOT_FOUND_MESSAGE } from './errors.js';
import { ADMIN_LEVEL, AccountKeyParamsSchema, ErrorSchema, KeyQuerySchema, UserSchema, type User } from './schemas.js';
import type { FingerbankStore } from './store.js';

const PATH = '/api/v2/users/account_info';

/** The fields that change at every call; the schema puts them last. */
const COUNTERS = ['timeframed_requests', 'monthly_requests', 'requests'] as const;

/** Either way of sending the key; the path form has no OpenAPI security scheme. */
const security: Record<string, string[]>[] = [{ fingerbankKey: [] }, { fingerbankBearer: [] }];

const schema = {
  tags: ['Fingerbank'],
  summary: 'Get the account information associated to an API key',
  description:
    'This method allows to get the account information associated to an API key. The key may be sent as `?key=`, as `Authorization: Bearer`, or, with neither, as the account_key in the path (as the documented curl does).',
  security,
  querystring: KeyQuerySchema,
  response: {
    200: UserSchema,
    401: ErrorSchema,
    403: ErrorSchema,
    404: ErrorSchema,
    429: ErrorSchema,
    502: ErrorSchema,
  },
};

export function registerRoutes(
  scope: TypedScope,
  store: FingerbankStore,
  caller: (request: FastifyRequest) => User,
): void {
  /** One's own account, or, for an admin, any account. */
  function accountInfo(request: FastifyRequest, accountKey: string | undefined): Step<User> {
    const me = caller(request);
    if (!accountKey || accountKey === me.key) return me;
    if (me.level !== ADMIN_LEVEL) throw new MockHttpError(403, FORBIDDEN_MESSAGE);
    return andThen(store.findByKey(accountKey), (account) => {
      if (!account) throw new MockHttpError(404, NOT_FOUND_MESSAGE);
      return account;
    });
  }

  /** Per stored account, its answer serialized once with the counters at zero (null: not splittable). */
  const answers = new WeakMap<User, LiveIntegers | null>();

  /** Sends the account's answer: the stored part serialized once, the current counters put in. */
  function answer(reply: FastifyReply, account: User): void {
    const stored = store.stored(account.key);
    let template = stored && answers.get(stored);
    if (stored && template === undefined) {
      const zeros = { ...stored, timeframed_requests: 0, monthly_requests: 0, requests: 0 };
      template = LiveIntegers.of(serializeText(reply, zeros), COUNTERS) ?? null;
      answers.set(stored, template);
    }
    const text = template?.fill([account.timeframed_requests, account.monthly_requests, account.requests]);
    if (text === undefined) reply.send(account);
    else sendSerialized(reply, text);
  }

  // `?key=a&key=b` is `b`, as in Rails, which the page comes from
  const preValidation = keepLastOfRepeatedQuery(KeyQuerySchema);
  // plain handlers: they send at once, without the promise of an async one
  scope.get(`${PATH}/:account_key`, { schema: { ...schema, params: AccountKeyParamsSchema }, preValidation }, (request, reply) => {
    settle(
      () => accountInfo(request, request.params.account_key),
      (account) => answer(reply, account),
      (error) => reply.send(error),
    );
  });
  scope.get(PATH, { schema, preValidation }, (request, reply) => {
    answer(reply, caller(request));
  });
}
