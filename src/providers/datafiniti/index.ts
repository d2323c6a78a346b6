import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installErrorFormat } from '../../http/error-format.js';
import { defineProvider } from '../../provider.js';
import { syncHook } from '../../http/sync-hook.js';
import { admin } from './admin.js';
import { verification } from './verify.js';
import { authenticate, readToken } from './auth.js';
import { errorEnvelope, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import type { User } from './schemas.js';
import { DatafinitiStore } from './store.js';

/** The caller's account, from authentication on. */
const CALLER = 'datafinitiCaller';

export const datafiniti = defineProvider({
  slug: 'datafiniti',
  title: 'Datafiniti',
  serverUrl: 'https://api.datafiniti.co',
  pathPrefixes: ['/v3'],
  credential: readToken,
  errorFormat: () => formatError,
  errorEnvelope,
  securitySchemes: {
    datafinitiBasic: {
      type: 'http',
      scheme: 'basic',
      description: 'Basic authentication with your API token as the user name and no password (`curl --user TOKEN:`).',
    },
  },
  createStore: (context) => new DatafinitiStore(context),
  admin,
  verification,
  plugin: async (scope, { store }) => {
    installErrorFormat(scope, formatError);
    scope.decorateRequest(CALLER, null);
    scope.addHook('onRequest', syncHook((request) => {
      request.setDecorator(CALLER, authenticate(request, store));
    }));
    registerRoutes(scope.withTypeProvider<TypeBoxTypeProvider>(), (request) => request.getDecorator<User>(CALLER));
  },
});
