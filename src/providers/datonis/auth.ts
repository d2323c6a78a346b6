import type { FastifyRequest } from 'fastify';
import { CredentialRefused } from '../../http/credential-refusal.js';
import { MESSAGES } from './errors.js';
import type { DatonisStore, Organisation } from './store.js';

/** The token of `X-Auth-Token`, spaces around it ignored; undefined when there is none. */
export function readToken(request: FastifyRequest): string | undefined {
  const token = request.headers['x-auth-token'];
  return typeof token === 'string' ? token.trim() : undefined;
}

/** The organisation whose token `X-Auth-Token` carries (spaces around it ignored), or the documented 401. */
export function authenticate(request: FastifyRequest, store: DatonisStore): Organisation {
  const token = readToken(request);
  const organisation = token === undefined ? undefined : store.findByToken(token);
  if (!organisation) throw new CredentialRefused(MESSAGES.unauthorized, token ? 'unknown token' : 'no credential');
  return organisation;
}
