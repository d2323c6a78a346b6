import { defineProvider } from '../../provider.js';
import { admit, identify, readKey } from './auth.js';
import { errorEnvelope, formatError } from './errors.js';
import { registerRoutes } from './routes.js';
import { FingerbankStore } from './store.js';
import { admin } from './admin.js';
import { verification } from './verify.js';

export const fingerbank = defineProvider({
  slug: 'fingerbank',
  title: 'Fingerbank',
  serverUrl: 'https://api.fingerbank.org',
  pathPrefixes: ['/api/v2'],
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
  // once validated, so that a malformed request is a 400 that touches no counter
  identifyWhen: 'validated',
  identify,
  admit,
  routes: registerRoutes,
});
