import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installErrorFormat } from '../../http/error-format.js';
import { defineProvider } from '../../provider.js';
import { settle } from '../../state/step.js';
import { authenticate, readKey } from './auth.js';
import { errorEnvelope, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import type { User } from './schemas.js';
import { FingerbankStore } from './store.js';
import { admin } from './admin.js';
import { verification } from './verify.js';

/** The caller's account, its figures counting this call, from authentication on. */
const CALLER = 'fingerbankCaller';

export const fingerbank = defineProvider({
  slug: 'fingerbank',
  title: 'Fingerbank',
  serverUrl: 'https://api.fingerbank.org',
  pathPrefixes: ['/api/v2'],
  framework: 'rails',
  credential: readKey,
  errorFormat: () => formatError,
  errorEnvelope,
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
  verification,
  plugin: async (scope, { store }) => {
    installErrorFormat(scope, formatError);
    // after validation, so that a malformed request is a 400 that touches no counter
    scope.decorateRequest(CALLER, null);
    scope.addHook('preHandler', (request, reply, done) => {
      settle(
        () => authenticate(request, store),
        ({ account, headers }) => {
          reply.headers(headers);
          request.setDecorator(CALLER, account);
          done();
        },
        done,
      );
    });
    registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), store, (request) => request.getDecorator<User>(CALLER));
  },
});
