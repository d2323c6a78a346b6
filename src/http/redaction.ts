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
 * A Basic credential with its password replaced (the user name stays readable: it tells one
 * account from another); one whose password is empty, the scheme providers use to carry an API
 * token as the user name (Datafiniti), replaced whole by the token's identity, as is any other
 * credential and a Basic one that is not clean base64 of `user:password`.
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
    if (colon === decoded.length - 1) return `${scheme} ${redacted(decoded.slice(0, colon))}`;
    return `${scheme} ${Buffer.from(`${decoded.slice(0, colon)}:${REDACTED_PASSWORD}`).toString('base64')}`;
  }
  return `${scheme} ${redacted(credential)}`;
}

/** Text with every occurrence of the secret replaced, as sent and as JSON escapes it. */
export function redactText(text: string, secret: string | undefined): string {
  if (secret === undefined || secret === '') return text;
  let kept = text.includes(secret) ? text.replaceAll(secret, redacted(secret)) : text;
  const escaped = JSON.stringify(secret).slice(1, -1);
  if (escaped !== secret && kept.includes(escaped)) kept = kept.replaceAll(escaped, redacted(secret));
  return kept;
}

function redactValue(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? redact(item) : item));
  return value;
}

/**
 * Headers with every secret replaced: those whose whole value is one, the credential of an
 * `Authorization`, and `secret` (the credential the provider read) wherever else it shows. The
 * same object when none carries one.
 */
export function redactHeaders(headers: Record<string, unknown>, secret?: string): Record<string, unknown> {
  let kept = headers;
  for (const name in headers) {
    const whole = SECRET_HEADERS.has(name);
    const value = headers[name];
    let shown: unknown;
    if (whole || CREDENTIAL_HEADERS.has(name)) shown = redactValue(value, whole ? redacted : redactCredential);
    else if (secret !== undefined && typeof value === 'string' && value.includes(secret)) shown = redactText(value, secret);
    else continue;
    if (kept === headers) kept = { ...headers };
    kept[name] = shown;
  }
  return kept;
}

/**
 * A parsed query with every credential replaced: parameters named as credentials are
 * (`key`, `token`…), and any value that is `secret`. The same object when none is there.
 */
export function redactQuery(query: unknown, secret?: string): unknown {
  if (query === null || typeof query !== 'object') return query;
  let kept = query as Record<string, unknown>;
  for (const name in query) {
    const value = (query as Record<string, unknown>)[name];
    const named = SECRET_PARAMETERS.has(name.toLowerCase());
    if (!named && !(secret !== undefined && (value === secret || (Array.isArray(value) && value.includes(secret))))) continue;
    if (kept === query) kept = { ...(query as Record<string, unknown>) };
    kept[name] = redactValue(value, (text) => (named || text === secret ? redacted(text) : text));
  }
  return kept;
}

/**
 * A URL with every credential replaced: the value of a parameter named as one (its name decoded,
 * so `%6Bey` is `key`), and `secret`, the credential the provider read, wherever it shows (a path
 * segment, a parameter of any name), as sent or percent-encoded. The same string when none is there.
 */
export function redactUrl(url: string, secret?: string): string {
  let kept = url;
  if (url.includes('%') || url.includes('+')) kept = redactEncoded(url, secret);
  else if (url.includes('=')) kept = url.replace(SECRET_IN_URL, (_match, name: string, value: string) => `${name}${redacted(decoded(value))}`);
  return secret !== undefined && secret !== '' && kept.includes(secret) ? kept.replaceAll(secret, redacted(secret)) : kept;
}

const SECRET_IN_URL = /([?&](?:key|api_key|apikey|token|access_token)=)([^&#]*)/gi;

/** redactUrl for a URL that encodes some of its characters: each path segment and parameter decoded to be compared. */
function redactEncoded(url: string, secret: string | undefined): string {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const segments = path.split('/').map((segment) => (secret !== undefined && decodedSegment(segment) === secret ? redacted(secret) : segment));
  if (mark === -1) return segments.join('/');
  const parameters = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      const value = decoded(pair.slice(equals + 1));
      const named = SECRET_PARAMETERS.has(decoded(pair.slice(0, equals)).toLowerCase());
      return named || (secret !== undefined && value === secret) ? `${pair.slice(0, equals + 1)}${redacted(value)}` : pair;
    });
  return `${segments.join('/')}?${parameters.join('&')}`;
}

/** A path segment as the router decodes it ('+' stays). */
function decodedSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
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
