import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../../http/http-error.js';
import { defineProvider } from '../../provider.js';
import type { Step } from '../../state/step.js';
import { type Caller, CountedRefusal, accountOf, admit, authenticate, bearerToken } from './auth.js';
import { createErrorFormatter, errorEnvelope } from './errors.js';
import { registerRoutes } from './routes.js';
import type { Usage } from './schemas.js';
import { PlaspyStore } from './store.js';
import { admin } from './admin.js';
import { verification } from './verify.js';

/** The usage this call counted, or, for one not counted, that of its account or the anonymous calls now. */
function usageOf(store: PlaspyStore, error: MockHttpError, request: FastifyRequest, counted: Caller | undefined): Step<Usage> {
  if (error instanceof CountedRefusal) return error.usage;
  const usage = counted?.usage ?? store.usageOf(accountOf(store, request));
  // a shared state that cannot be reached (its 503) has no figures to show: zeros, not a 500
  return usage instanceof Promise ? usage.catch(() => ({ apiUsage: 0, apiDailyUsage: 0 })) : usage;
}

export const plaspy = defineProvider({
  slug: 'plaspy',
  title: 'Plaspy',
  serverUrl: 'https://api.plaspy.com',
  pathPrefixes: ['/api/users'],
  credential: bearerToken,
  // every error in Plaspy's envelope, with the usage of whoever made the call (counted or not)
  errorFormat: (store, caller) => createErrorFormatter((error, request) => usageOf(store, error, request, caller(request))),
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
  identifyWhen: 'arrival',
  identify: authenticate,
  admit,
  routes: (scope, store, caller) =>
    registerRoutes(
      scope,
      store,
      (request) => caller(request).account,
      (request) => caller(request).usage,
    ),
});
