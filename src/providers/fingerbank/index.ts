import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installErrorFormat } from '../../http/error-format.js';
import { MockHttpError } from '../../http/http-error.js';
import { defineProvider } from '../../provider.js';
import type { RateDecision } from '../../state/rate-limiter.js';
import { createRequestSlot } from '../../http/request-slot.js';
import { syncHook } from '../../http/sync-hook.js';
import { apiKey } from './auth.js';
import { FORBIDDEN_MESSAGE, RATE_LIMITED_MESSAGE, UNAUTHORIZED_MESSAGE, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import type { User } from './schemas.js';
import { FingerbankStore } from './store.js';
import { admin } from './admin.js';

const caller = createRequestSlot<User>('the Fingerbank account');

function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetInMs / 1000)),
  };
}

export const fingerbank = defineProvider({
  slug: 'fingerbank',
  title: 'Fingerbank',
  serverUrl: 'https://api.fingerbank.org',
  pathPrefixes: ['/api/v2'],
  errorFormat: () => formatError,
  securitySchemes: {
    fingerbankKey: {
      type: 'apiKey',
      in: 'query',
      name: 'key',
      description: 'Your API key as the `key` query parameter.',
    },
    fingerbankBearer: {
      type: 'http',
      scheme: 'bearer',
      description:
        'Your API key in `Authorization: Bearer <key>`. With neither this nor `?key=`, the account_key in the path is taken as the key.',
    },
  },
  createStore: (context) => new FingerbankStore(context),
  admin,
  plugin: async (scope, { store }) => {
    installErrorFormat(scope, formatError);
    // after validation, so that a malformed request is a 400 that touches no counter
    scope.addHook('preHandler', syncHook((request, reply) => {
      const account = store.stored(apiKey(request));
      if (!account) throw new MockHttpError(401, UNAUTHORIZED_MESSAGE);
      if (account.blocked) throw new MockHttpError(403, FORBIDDEN_MESSAGE);
      const decision = store.admit(account.key);
      const headers = rateLimitHeaders(decision);
      if (!decision.allowed) {
        const retryAfter = headers['X-RateLimit-Reset'] as string;
        throw new MockHttpError(429, RATE_LIMITED_MESSAGE, { ...headers, 'Retry-After': retryAfter });
      }
      reply.headers(headers);
      caller.set(request, store.countRequest(account.key) ?? account);
    }));
    registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), store, caller.get);
  },
});
