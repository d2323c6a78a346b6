import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { installErrorFormat } from '../../http/error-format.js';
import { MockHttpError } from '../../http/http-error.js';
import { defineProvider } from '../../provider.js';
import { createRequestSlot } from '../../http/request-slot.js';
import { type Step, settle } from '../../state/step.js';
import { CountedRefusal, accountOf, authenticate, bearerToken } from './auth.js';
import { createErrorFormatter } from './errors.js';
import { registerRoutes } from './routes.js';
import type { Usage } from './schemas.js';
import { type Account, PlaspyStore } from './store.js';
import { admin } from './admin.js';

const caller = createRequestSlot<Account>('the Plaspy account');
/** The usage right after a call was counted: concurrent calls each show their own count. */
const countedUsage = createRequestSlot<Usage>('the usage the Plaspy call counted');

/** The usage this call counted, or, for one not counted, that of its account or the anonymous calls now. */
function usageOf(store: PlaspyStore, error: MockHttpError, request: FastifyRequest): Step<Usage> {
  if (error instanceof CountedRefusal) return error.usage;
  return countedUsage.find(request) ?? store.usageOf(accountOf(store, request));
}

/** Every error in Plaspy's envelope, with the usage of whoever made the call (counted or not). */
function errorFormat(store: PlaspyStore) {
  return createErrorFormatter((error, request) => usageOf(store, error, request));
}

export const plaspy = defineProvider({
  slug: 'plaspy',
  title: 'Plaspy',
  serverUrl: 'https://api.plaspy.com',
  pathPrefixes: ['/api/users'],
  credential: bearerToken,
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
    scope.addHook('onRequest', (request, _reply, done) => {
      settle(
        () => authenticate(request, store),
        (account) => {
          caller.set(request, account);
          done();
        },
        done,
      );
    });
    // Counted once the request is known to be valid, so a rejected parameter changes nothing.
    scope.addHook('preHandler', (request, _reply, done) => {
      settle(
        () => store.countCall(caller.get(request)),
        (usage) => {
          countedUsage.set(request, usage);
          done();
        },
        done,
      );
    });
    registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), store, caller.get, countedUsage.get);
  },
});
