import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../../http/http-error.js';
import { MESSAGES } from './errors.js';
import type { DatonisStore, Organisation } from './store.js';

/** The organisation whose token `X-Auth-Token` carries (spaces around it ignored), or the documented 401. */
export function authenticate(request: FastifyRequest, store: DatonisStore): Organisation {
  const token = request.headers['x-auth-token'];
  const organisation = typeof token === 'string' ? store.findByToken(token.trim()) : undefined;
  if (!organisation) throw new MockHttpError(401, MESSAGES.unauthorized);
  return organisation;
}
