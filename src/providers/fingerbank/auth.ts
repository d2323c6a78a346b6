import type { FastifyRequest } from 'fastify';
import type { Admission } from '../../provider.js';
import { CredentialRefused } from '../../http/credential-refusal.js';
import { MockHttpError } from '../../http/http-error.js';
import type { RateDecision } from '../../state/state.js';
import { type Step, andThen } from '../../state/step.js';
import { FORBIDDEN_MESSAGE, RATE_LIMITED_MESSAGE, UNAUTHORIZED_MESSAGE } from './errors.js';
import type { User } from './schemas.js';
import type { FingerbankStore } from './store.js';

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
function apiKey(request: FastifyRequest): string {
  const { key } = request.query as { key?: string };
  if (present(key)) return key;
  const authorization = request.headers.authorization;
  if (present(authorization)) {
    const token = BEARER.exec(authorization)?.[1];
    if (!token) throw new CredentialRefused(UNAUTHORIZED_MESSAGE, 'bad scheme');
    return token;
  }
  const { account_key: accountKey } = request.params as { account_key?: string };
  if (present(accountKey)) return accountKey;
  throw new CredentialRefused(UNAUTHORIZED_MESSAGE, 'no credential');
}

/** The API key as `apiKey` finds it; undefined where apiKey refuses the request. */
export function readKey(request: FastifyRequest): string | undefined {
  try {
    return apiKey(request);
  } catch {
    return undefined;
  }
}

function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(Math.ceil(decision.resetInMs / 1000)),
  };
}

/** Who calls: the stored account of the request's key; 401 for an unknown key, 403 for a blocked account. */
export function identify(request: FastifyRequest, store: FingerbankStore): User {
  const account = store.stored(apiKey(request));
  if (!account) throw new CredentialRefused(UNAUTHORIZED_MESSAGE, 'unknown key');
  if (account.blocked) throw new MockHttpError(403, FORBIDDEN_MESSAGE);
  return account;
}

/**
 * Whether the account may call now: 429 once the key's 250 requests of its minute are spent; an
 * admitted call is counted, and served with the account's figures counting it.
 */
export function admit(account: User, store: FingerbankStore): Step<Admission<User>> {
  return andThen(store.admitCall(account), ({ account: counted, rate }) => {
    const headers = rateLimitHeaders(rate);
    if (!counted) {
      throw new MockHttpError(429, RATE_LIMITED_MESSAGE, { ...headers, 'Retry-After': headers['X-RateLimit-Reset']! });
    }
    return { caller: counted, headers };
  });
}
