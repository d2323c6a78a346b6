import type { OpenAPIV3 } from 'openapi-types';
import type { DemoCredential } from '../provider.js';

export type SecurityScheme = OpenAPIV3.SecuritySchemeObject;

/** The word a demo credential's `scheme` uses for how a security scheme sends it. */
function deliveryOf(scheme: SecurityScheme): string | undefined {
  if (scheme.type === 'apiKey') return scheme.in;
  if (scheme.type === 'http') return scheme.scheme.toLowerCase();
  return undefined;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The demo credentials that a security scheme sends: those whose `scheme` names its way (`basic`,
 * `bearer`, `query`, `header`) or, for an API key, the key's own name (`X-Auth-Token`).
 */
export function credentialsFor(scheme: SecurityScheme, credentials: readonly DemoCredential[]): DemoCredential[] {
  const delivery = deliveryOf(scheme);
  if (!delivery) return [];
  const names = scheme.type === 'apiKey' ? [delivery, scheme.name] : [delivery];
  const named = new RegExp(`(?<![\\w-])(${names.map(escaped).join('|')})(?![\\w-])`, 'i');
  return credentials.filter((credential) => named.test(credential.scheme));
}

/** A basic credential's value is `user:password`, or the user name alone with an empty password. */
export function basicPair(value: string): { username: string; password: string } {
  const colon = value.indexOf(':');
  return colon === -1 ? { username: value, password: '' } : { username: value.slice(0, colon), password: value.slice(colon + 1) };
}
