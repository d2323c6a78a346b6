import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installErrorFormat } from '../../http/error-format.js';
import { defineProvider } from '../../provider.js';
import { syncHook } from '../../http/sync-hook.js';
import { admin } from './admin.js';
import { verification } from './verify.js';
import { authenticate, readToken } from './auth.js';
import { errorEnvelope, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import { DatonisStore, type Organisation } from './store.js';

/** The caller's organisation, from authentication on. */
const CALLER = 'datonisCaller';

export const datonis = defineProvider({
  slug: 'datonis',
  title: 'Datonis',
  serverUrl: 'https://api.datonis.io',
  pathPrefixes: ['/api/v3'],
  framework: 'rails',
  credential: readToken,
  errorFormat: () => formatError,
  errorEnvelope,
  securitySchemes: {
    datonisToken: {
      type: 'apiKey',
      in: 'header',
      name: 'X-Auth-Token',
      description: 'The access token of your Datonis account.',
    },
  },
  createStore: (context) => new DatonisStore(context),
  admin,
  verification,
  plugin: async (scope, { store }) => {
    installErrorFormat(scope, formatError);
    scope.decorateRequest(CALLER, null);
    scope.addHook('onRequest', syncHook((request) => {
      request.setDecorator(CALLER, authenticate(request, store));
    }));
    registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), store, (request) => request.getDecorator<Organisation>(CALLER));
  },
});
