import { defineProvider } from '../../provider.js';
import { admin } from './admin.js';
import { verification } from './verify.js';
import { authenticate, readToken } from './auth.js';
import { errorEnvelope, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import { DatafinitiStore } from './store.js';

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
  identifyWhen: 'arrival',
  identify: authenticate,
  routes: (scope, _store, caller) => registerRoutes(scope, caller),
});
