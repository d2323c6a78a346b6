import { LRUCache } from 'lru-cache';
import type { FastifyRequest } from 'fastify';
import { MockHttpError } from '../../http/http-error.js';
import { UNAUTHORIZED_MESSAGE } from './errors.js';
import type { User } from './schemas.js';
import type { DatafinitiStore } from './store.js';

/** Tokens of headers read recently: a client sends the same header with every call. */
const tokens = new LRUCache<string, string>({ max: 1024 });

/**
 * The API token from `Authorization: Basic base64(token:)`: the token is the user name and the
 * password is empty, as documented. Anything else is no credential at all: undefined.
 */
export function readToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const known = header === undefined ? undefined : tokens.get(header);
  if (known !== undefined) return known;
  const match = header ? /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header) : null;
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const token = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  if (!token || password !== '') return undefined;
  tokens.set(header!, token);
  return token;
}

/** The API token, or the documented 401 when there is none. */
function basicToken(request: FastifyRequest): string {
  const token = readToken(request);
  if (token === undefined) throw new MockHttpError(401, UNAUTHORIZED_MESSAGE);
  return token;
}

/** The caller's account, or the documented 401. */
export function authenticate(request: FastifyRequest, store: DatafinitiStore): User {
  const account = store.findByToken(basicToken(request));
  if (!account) throw new MockHttpError(401, UNAUTHORIZED_MESSAGE);
  return account;
}
