import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../../http/http-error.js';
import { UNAUTHORIZED_MESSAGE } from './errors.js';

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i;

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * The API key of a request, from the first place that holds one: `?key=`, then
 * `Authorization: Bearer`, then the path's own account_key (the documented curl sends nothing
 * else). The first credential found is the one judged: a header that is not a Bearer key is a
 * wrong credential, not a missing one.
 */
export function apiKey(request: FastifyRequest): string {
  const { key } = request.query as { key?: string };
  if (present(key)) return key;
  const authorization = request.headers.authorization;
  if (present(authorization)) {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new MockHttpError(401, UNAUTHORIZED_MESSAGE);
    return token;
  }
  const { account_key: accountKey } = request.params as { account_key?: string };
  if (present(accountKey)) return accountKey;
  throw new MockHttpError(401, UNAUTHORIZED_MESSAGE);
}
