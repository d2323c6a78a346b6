import { LRUCache } from 'lru-cache';
import type { FastifyRequest } from 'fastify';
import { CredentialRefused, type RefusalReason } from '../../http/credential-refusal.js';
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

/** Whether `encoded` is base64 (or base64url) of UTF-8 text: a raw token sent after `Basic ` decodes to bytes that are neither. */
function decodesToText(encoded: string): boolean {
  const bytes = Buffer.from(encoded, 'base64');
  const unpadded = encoded.replace(/=+$/, '');
  if (bytes.toString('base64').replace(/=+$/, '') !== unpadded && bytes.toString('base64url') !== unpadded) return false;
  const text = bytes.toString('utf8');
  return Buffer.byteLength(text) === bytes.length && !text.includes('\uFFFD') && !/\p{Cc}/u.test(text);
}

/** Why a request's Authorization names no account; worked out only once it is refused. */
function refusalReason(request: FastifyRequest, token: string | undefined): RefusalReason {
  const header = request.headers.authorization;
  if (!header) return 'no credential';
  const basic = /^Basic(?:\s+(\S*))?\s*$/i.exec(header);
  if (!basic) return 'bad scheme';
  if (!basic[1] || !decodesToText(basic[1])) return 'bad base64';
  if (token !== undefined) return 'unknown token';
  const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && colon < decoded.length - 1 ? 'password not empty' : 'no credential';
}

/** The caller's account, or the documented 401. */
export function authenticate(request: FastifyRequest, store: DatafinitiStore): User {
  const token = readToken(request);
  const account = token === undefined ? undefined : store.findByToken(token);
  if (!account) throw new CredentialRefused(UNAUTHORIZED_MESSAGE, refusalReason(request, token));
  return account;
}
