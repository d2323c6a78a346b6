import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { installErrorFormat } from '../../http/error-format.js';
import { MockHttpError } from '../../http/http-error.js';
import { defineProvider } from '../../provider.js';
import { type Step, settle } from '../../state/step.js';
import { CountedRefusal, accountOf, authenticate, bearerToken } from './auth.js';
import { createErrorFormatter, errorEnvelope } from './errors.js';
import { registerRoutes } from './routes.js';
import type { Usage } from './schemas.js';
import { type Account, PlaspyStore } from './store.js';
import { admin } from './admin.js';
import { verification } from './verify.js';

/** The caller's account, from authentication on. */
const CALLER = 'plaspyCaller';
/** The usage right after a call was counted: concurrent calls each show their own count. */
const COUNTED_USAGE = 'plaspyCountedUsage';

/**
 * The usage this call counted; undefined before, or for a request no Plaspy route served (an
 * unknown path, or HTTP refused before routing, whose request has none of this scope's decorators).
 */
function countedUsage(request: FastifyRequest): Usage | undefined {
  if (!request.server?.hasRequestDecorator(COUNTED_USAGE)) return undefined;
  return request.getDecorator<Usage | null>(COUNTED_USAGE) ?? undefined;
}

/** The usage this call counted, or, for one not counted, that of its account or the anonymous calls now. */
function usageOf(store: PlaspyStore, error: MockHttpError, request: FastifyRequest): Step<Usage> {
  if (error instanceof CountedRefusal) return error.usage;
  const usage = countedUsage(request) ?? store.usageOf(accountOf(store, request));
  // a shared state that cannot be reached (its 503) has no figures to show: zeros, not a 500
  return usage instanceof Promise ? usage.catch(() => ({ apiUsage: 0, apiDailyUsage: 0 })) : usage;
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
  errorEnvelope,
  securitySchemes: {
    plaspyBearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'Your access token in `Authorization: Bearer <token>`.',
    },
  },
  createStore: (context) => new PlaspyStore(context),
  admin,
  verification,
  plugin: async (scope, { store }) => {
    installErrorFormat(scope, errorFormat(store));
    scope.decorateRequest(CALLER, null);
    scope.decorateRequest(COUNTED_USAGE, null);
    scope.addHook('onRequest', (request, _reply, done) => {
      settle(
        () => authenticate(request, store),
        (account) => {
          request.setDecorator(CALLER, account);
          done();
        },
        done,
      );
    });
    // Counted once the request is known to be valid, so a rejected parameter changes nothing.
    scope.addHook('preHandler', (request, _reply, done) => {
      settle(
        () => store.countCall(request.getDecorator<Account>(CALLER)),
        (usage) => {
          request.setDecorator(COUNTED_USAGE, usage);
          done();
        },
        done,
      );
    });
    registerRoutes(
      scope.withTypeProvider<TypeBoxTypeProvider>(),
      store,
      (request) => request.getDecorator<Account>(CALLER),
      (request) => request.getDecorator<Usage>(COUNTED_USAGE),
    );
  },
});
