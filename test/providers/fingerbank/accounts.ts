import type { FastifyInstance } from 'fastify';
import type { FingerbankStore } from '../../../src/providers/fingerbank/store.js';
import type { User } from '../../../src/providers/fingerbank/schemas.js';

/** The documented user, key and answer. */
export const BOB_KEY = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
export const ADMIN_KEY = '18e966b076bd1145283b6bde9cf990a2e47c3d04';
export const BLOCKED_KEY = 'bf17b211283d7ea5f4a13be959745f90b166e143';

export const DOCUMENTED_BOB = {
  id: 0,
  name: 'bob',
  display_name: 'John Doe',
  level: 0,
  created_at: '2014-09-09T15:10:22.000Z',
  updated_at: '2020-06-29T15:21:13.000Z',
  key: BOB_KEY,
  email: 'jdoe@example.com',
  blocked: false,
  search_count: 3764,
  timeframed_search_count: 0,
  monthly_limit: 1000000,
  auth_type: 'github',
  roles: 'GENERAL',
  expiration: null,
  timeframed_requests: 3,
  monthly_requests: 126,
  requests: 1512,
};

export const PATH = '/api/v2/users/account_info';

export const MESSAGES = {
  401: "This request is unauthorized. Either your key is invalid or wasn't specified.",
  403: 'This request is forbidden. Your account may have been blocked.',
  404: 'No user was found for the provided API key',
  429: 'The amount of requests per minute has been exceeded. All accounts (even the unlimited ones) are rate limited to 250 requests per minute unless agreed otherwise with Inverse.',
  502: 'No API backend was able to process the request. The system may be overloaded, in maintenance or experiencing an issue. Retrying shortly after should work.',
};

export function fingerbankStore(app: FastifyInstance): FingerbankStore {
  return app.mock.storeOf('fingerbank') as FingerbankStore;
}

/** Every account of the store, in order, with its usage figures. */
export function allAccounts(store: FingerbankStore): Promise<User[]> {
  return store.slice(0, store.size);
}
