import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/**
 * Identities of credentials seen recently: a request's credential is redacted in its log line, its
 * journaled URL or headers, its answer and its entry's identity, and a client sends the same one
 * with every call. Hashing it each time was the largest part of recording a request (Fingerbank
 * with production logs, a key per request round-robin: 5 SHA-256 digests per answer, 10 % of the
 * server's CPU in `npm run bench:profile -- fingerbank --production`). Bounded in count and bytes,
 * whatever secrets clients send.
 */
const identities = recentlySeen();
/** `Authorization` values as journaled, for the same reason (a Basic one is decoded and encoded again). */
const redactedCredentials = recentlySeen();

function recentlySeen(): LRUCache<string, string> {
  return new LRUCache<string, string>({ max: 10_000, maxSize: 8 * 1024 * 1024, sizeCalculation: (kept, seen) => seen.length + kept.length });
}

/**
 * Secrets as the journal and the logs show them: replaced by a stable, non-secret identity, so that
 * a test can still tell which credential a request carried (`[redacted sha256:ab12cd34]`, the first
 * 8 hex digits of the secret's SHA-256) without the control plane or a log handing the secret back.
 */
export function credentialIdentity(secret: string): string {
  let identity = identities.get(secret);
  if (identity === undefined) {
    identity = `sha256:${hash('sha256', secret, 'hex').slice(0, 8)}`;
    identities.set(secret, identity);
  }
  return identity;
}

/**
 * A credential as the journal's entries show it: an identity given (`sha256:ab12cd34`, or as
 * `[redacted sha256:ab12cd34]`) stays, a key or token becomes its identity.
 */
export function asCredentialIdentity(credential: string): string {
  const identity = /^(?:\[redacted )?(sha256:[0-9a-f]{8})\]?$/.exec(credential);
  return identity?.[1] ?? credentialIdentity(credential);
}

/** What replaces a secret. */
export function redacted(secret: string): string {
  return `[redacted ${credentialIdentity(secret)}]`;
}

/** What replaces a password in a journalled `Authorization: Basic` header. */
export const REDACTED_PASSWORD = '[redacted]';

/** Headers whose whole value is a secret. */
const SECRET_HEADERS = new Set(['x-auth-token', 'x-mock-admin-token', 'x-api-key', 'cookie']);
/** Headers that carry `<scheme> <credential>`. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
/** Query parameters that carry a credential (Fingerbank's `?key=`). */
const SECRET_PARAMETERS = new Set(['key', 'api_key', 'apikey', 'token', 'access_token']);

/**
 * A Basic credential with its password replaced (the user name, an API token for the providers,
 * stays readable: it is what tells one account from another); any other credential, and a Basic one
 * that is not clean base64 of `user:password`, replaced whole after its scheme.
 */
function redactCredential(value: string): string {
  let kept = redactedCredentials.get(value);
  if (kept === undefined) {
    kept = redactCredentialOnce(value);
    redactedCredentials.set(value, kept);
  }
  return kept;
}

function redactCredentialOnce(value: string): string {
  const space = value.search(/\s/);
  if (space === -1) return redacted(value);
  const scheme = value.slice(0, space);
  const credential = value.slice(space).trim();
  if (scheme.toLowerCase() === 'basic' && /^[A-Za-z0-9+/=_-]+$/.test(credential)) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return `${scheme} ${redacted(credential)}`;
    if (colon === decoded.length - 1) return value;
    return `${scheme} ${Buffer.from(`${decoded.slice(0, colon)}:${REDACTED_PASSWORD}`).toString('base64')}`;
  }
  return `${scheme} ${redacted(credential)}`;
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? redact(item) : item));
  return value;
}

/** Headers with every secret replaced; the same object when none carries one. */
export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  let kept = headers;
  for (const name in headers) {
    const secret = SECRET_HEADERS.has(name);
    if (!secret && !CREDENTIAL_HEADERS.has(name)) continue;
    if (kept === headers) kept = { ...headers };
    kept[name] = redactValue(headers[name], secret ? redacted : redactCredential);
  }
  return kept;
}

/** A parsed query with every credential parameter replaced; the same object when none is there. */
export function redactQuery(query: unknown): unknown {
  if (query === null || typeof query !== 'object') return query;
  let kept = query as Record<string, unknown>;
  for (const name in query) {
    if (!SECRET_PARAMETERS.has(name.toLowerCase())) continue;
    if (kept === query) kept = { ...(query as Record<string, unknown>) };
    kept[name] = redactValue(kept[name], redacted);
  }
  return kept;
}

const SECRET_IN_URL = /([?&](?:key|api_key|apikey|token|access_token)=)([^&#]*)/gi;

/** A URL with the values of its credential parameters replaced; the same string when it has none. */
export function redactUrl(url: string): string {
  if (!url.includes('=')) return url;
  return url.replace(SECRET_IN_URL, (_match, name: string, value: string) => `${name}${redacted(decoded(value))}`);
}

/** A query value as the parsed query holds it, so that both give the same identity. */
function decoded(value: string): string {
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}
