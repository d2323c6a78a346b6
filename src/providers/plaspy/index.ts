import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { installErrorFormat } from '../../http/error-format.js';
import { MockHttpError } from '../../http/http-error.js';
import { defineProvider } from '../../provider.js';
import { createRequestSlot } from '../../http/request-slot.js';
import { syncHook } from '../../http/sync-hook.js';
import { bearerToken } from './auth.js';
import { UNAUTHORIZED_MESSAGE, createErrorFormatter } from './errors.js';
import { registerRoutes } from './routes.js';
import type { Usage } from './schemas.js';
import { type Account, PlaspyStore } from './store.js';
import { admin } from './admin.js';

const caller = createRequestSlot<Account>('the Plaspy account');
/** The usage right after a call was counted: concurrent calls each show their own count. */
const countedUsage = createRequestSlot<Usage>('the usage the Plaspy call counted');

function accountOf(store: PlaspyStore, request: FastifyRequest): Account | undefined {
  const token = bearerToken(request);
  return token === undefined ? undefined : store.findAccount(token);
}

/** The usage this call counted, or, for one not counted, that of its account or the anonymous bucket now. */
function usageOf(store: PlaspyStore, request: FastifyRequest): Usage {
  return countedUsage.find(request) ?? (accountOf(store, request)?.usage ?? store.anonymousUsage()).current();
}

/** Every error in Plaspy's envelope, with the usage of whoever made the call (counted or not). */
function errorFormat(store: PlaspyStore) {
  return createErrorFormatter((request) => usageOf(store, request));
}

export const plaspy = defineProvider({
  slug: 'plaspy',
  title: 'Plaspy',
  serverUrl: 'https://api.plaspy.com',
  pathPrefixes: ['/api/users'],
  errorFormat,
  securitySchemes: {
    plaspyBearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'Your access token in `Authorization: Bearer <token>`.',
    },
  },
  createStore: (context) => new PlaspyStore(context),
  admin,
  plugin: async (scope, { store }) => {
    installErrorFormat(scope, errorFormat(store));
    scope.addHook(
      'onRequest',
      syncHook((request) => {
        const account = accountOf(store, request);
        if (!account) {
          countedUsage.set(request, store.anonymousUsage().count());
          throw new MockHttpError(401, UNAUTHORIZED_MESSAGE);
        }
        caller.set(request, account);
      }),
    );
    // Counted once the request is known to be valid, so a rejected parameter changes nothing.
    scope.addHook(
      'preHandler',
      syncHook((request) => {
        countedUsage.set(request, caller.get(request).usage.count());
      }),
    );
    registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), store, caller.get, (request) => usageOf(store, request));
  },
});
