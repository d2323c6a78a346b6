import type { FastifyReply, FastifyRequest } from 'fastify';
import { MockHttpError } from '../../http/http-error.js';
import { TOO_DEEP, nestedDeeperThan } from '../../http/nesting.js';
import { createRequestSlot } from '../../http/request-slot.js';
import { KeptText, sendSerialized, serializeText } from '../../http/text-cache.js';
import type { TypedScope } from '../../http/typed-scope.js';
import { MESSAGES } from './errors.js';
import { hasBody, mergeParams, readGetBody } from './params.js';
import { presentUser } from './present.js';
import { queryUsers } from './search/indexed-query.js';
import {
  ErrorSchema,
  type StoredUser,
  USER_FIELDS,
  UsersQuerySchema,
  UsersResponseSchema,
  type UsersQuery,
  type UsersResponse,
} from './schemas.js';
import type { DatonisStore, Organisation } from './store.js';

/** `page` exactly as the client sent it, before validation turns "2" into 2: it is echoed back so. */
const sentPage = createRequestSlot<{ value: unknown }>('the page as sent');

function requestedFields(fieldList: string[] | undefined): string[] | undefined {
  if (fieldList === undefined) return undefined;
  const fields = fieldList.flatMap((item) => item.split(',')).map((field) => field.trim()).filter(Boolean);
  const unknown = fields.filter((field) => !(USER_FIELDS as string[]).includes(field));
  if (unknown.length > 0) {
    throw new MockHttpError(400, `Unknown field in field_list: ${unknown.join(', ')}`);
  }
  return fields;
}

/** Each user as the list writes it, serialized once per user record and timestamp format. */
const userTexts = { int: new KeptText<StoredUser>(), str: new KeptText<StoredUser>() };

/**
 * The answer with each user's text serialized once: the envelope is serialized per call with no
 * users, and the users' texts put in its empty list. The route's own serializer writes every part,
 * so the text is the one it would write whole. Undefined when a part has not the expected shape.
 */
function listText(reply: FastifyReply, body: UsersResponse, users: readonly StoredUser[], format: 'int' | 'str'): string | undefined {
  const envelope = serializeText(reply, { total_count: body.total_count, page: body.page, users: [] });
  if (!envelope.endsWith('[]}')) return undefined;
  const opening = '{"total_count":0,"page":1,"users":[';
  const texts: string[] = [];
  for (const user of users) {
    const text = userTexts[format].get(user, () => {
      const one = serializeText(reply, { total_count: 0, page: 1, users: [presentUser(user, format, undefined)] });
      return one.startsWith(opening) && one.endsWith(']}') ? one.slice(opening.length, -2) : '';
    });
    if (text === '') return undefined;
    texts.push(text);
  }
  return `${envelope.slice(0, -2)}${texts.join(',')}]}`;
}

function organisationToList(caller: Organisation, query: UsersQuery, store: DatonisStore): Organisation {
  if (query.is_oem === undefined) return caller;
  if (query.child_organisation_key === undefined) throw new MockHttpError(400, MESSAGES.childKeyRequired);
  if (!query.is_oem) return caller;
  if (!caller.is_oem) throw new MockHttpError(403, MESSAGES.notOem);
  const child = caller.child_organisation_keys.includes(query.child_organisation_key)
    ? store.findOrganisation(query.child_organisation_key)
    : undefined;
  if (!child) throw new MockHttpError(404, MESSAGES.childNotFound);
  return child;
}

export function registerRoutes(
  scope: TypedScope,
  store: DatonisStore,
  caller: (request: FastifyRequest) => Organisation,
): void {
  const bodyLimit = scope.initialConfig.bodyLimit ?? 1_048_576;
  scope.get(
    '/api/v3/users',
    {
      schema: {
        tags: ['Datonis'],
        summary: 'List users',
        description:
          "Returns a list of all users belonging to an account as per the specified criteria. This API is paginated and returns 20 users by default. A user is uniquely identified by a 'user_key'. The parameters may also be sent as a JSON body on the GET, as the documented examples do.",
        security: [{ datonisToken: [] }],
        querystring: UsersQuerySchema,
        response: { 200: UsersResponseSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
      },
      preValidation: (request, _reply, done) => {
        const take = (body: Record<string, unknown>) => {
          // structuredClone below copies recursively: a body nested thousands of levels deep overflowed it
          if (nestedDeeperThan(body)) throw new MockHttpError(400, TOO_DEEP);
          const params = mergeParams(request.query, body);
          sentPage.set(request, { value: params.page });
          if (Object.keys(body).length > 0) request.body = structuredClone(body);
          request.query = params;
        };
        // most calls send no body: they are done at once, without the promise of reading one
        if (!hasBody(request)) {
          try {
            take({});
          } catch (error) {
            done(error as Error);
            return;
          }
          done();
          return;
        }
        readGetBody(request, bodyLimit)
          .then(take)
          .then(
            () => done(),
            (error: Error) => done(error),
          );
      },
    },
    // a plain handler: it sends at once, without the promise of an async one
    (request, reply) => {
      const query = request.query;
      const organisation = organisationToList(caller(request), query, store);
      const fields = requestedFields(query.field_list);
      const result = queryUsers({ generated: organisation.generated, others: organisation.users }, {
        search: query.search,
        scope: query.scope ?? 'all',
        orderBy: query.order_by,
        order: query.order ?? 'asc',
        page: query.page ?? 1,
        per: query.per ?? 20,
      });
      const format = query.timestamp_format ?? 'int';
      const page = (sentPage.get(request).value as number | string | undefined) ?? 1;
      if (fields === undefined && !query.pretty) {
        const text = listText(reply, { total_count: result.total, page, users: [] }, result.users, format);
        if (text !== undefined) {
          sendSerialized(reply, text);
          return;
        }
      }
      const body = { total_count: result.total, page, users: result.users.map((user) => presentUser(user, format, fields)) };
      if (query.pretty) {
        reply
          .type('application/json; charset=utf-8')
          .serializer((payload) => JSON.stringify(payload, null, 2))
          .send(body);
        return;
      }
      reply.send(body);
    },
  );
}
