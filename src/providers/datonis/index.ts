import { defineProvider } from '../../provider.js';
import { admin } from './admin.js';
import { verification } from './verify.js';
import { authenticate, readToken } from './auth.js';
import { errorEnvelope, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import { DatonisStore } from './store.js';

export const datonis = defineProvider({
  slug: 'datonis',
  title: 'Datonis',
  serverUrl: 'https://api.datonis.io',
  pathPrefixes: ['/api/v3'],
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
  identifyWhen: 'arrival',
  identify: authenticate,
  routes: registerRoutes,
});
