import { basicPair, type SecurityScheme } from '../src/contract/credentials.js';
import type { DemoCredential, Provider } from '../src/provider.js';
import { type ProviderSlug, providers } from '../src/providers.js';
import { storeContext } from './helpers.js';
import { requestFromCurl } from './production/curl.js';

/** A credential as one security scheme sends it: headers to add, query parameters to add. */
export interface Sent {
  headers: Record<string, string>;
  query: Record<string, string>;
}

/** Where a security scheme puts a credential (a basic one's value is `user:password`, or the user name alone). */
export function credentialSent(scheme: SecurityScheme, value: string): Sent {
  if (scheme.type === 'http' && scheme.scheme.toLowerCase() === 'basic') {
    const { username, password } = basicPair(value);
    return { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }, query: {} };
  }
  if (scheme.type === 'http') return { headers: { authorization: `${scheme.scheme.charAt(0).toUpperCase()}${scheme.scheme.slice(1)} ${value}` }, query: {} };
  if (scheme.type === 'apiKey' && scheme.in === 'query') return { headers: {}, query: { [scheme.name]: value } };
  if (scheme.type === 'apiKey' && scheme.in === 'header') return { headers: { [scheme.name.toLowerCase()]: value }, query: {} };
  if (scheme.type === 'apiKey' && scheme.in === 'cookie') return { headers: { cookie: `${scheme.name}=${encodeURIComponent(value)}` }, query: {} };
  throw new Error(`cannot send a credential with a ${scheme.type} security scheme`);
}

/** One of a provider's ways of taking a credential: its security scheme, by name. */
export interface Way {
  provider: ProviderSlug;
  /** The security scheme's name in the provider's definition. */
  name: string;
  send(value: string): Sent;
}

/** Every way each provider takes a credential, as its security schemes declare them. */
export function waysOf(provider: Provider): Way[] {
  return Object.entries(provider.securitySchemes).map(([name, scheme]) => ({
    provider: provider.slug as ProviderSlug,
    name,
    send: (value: string) => credentialSent(scheme as unknown as SecurityScheme, value),
  }));
}

/** A URL with query parameters added. */
export function withQuery(url: string, query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search === '' ? url : `${url}${url.includes('?') ? '&' : '?'}${search}`;
}

/** Each provider's demo credentials, as a store made from its fixtures lists them (no generated users). */
export const DEMO_CREDENTIALS = Object.fromEntries(
  providers.map((provider) => [provider.slug, provider.createStore(storeContext(1, 0)).demoCredentials()]),
) as Record<ProviderSlug, DemoCredential[]>;

/** A provider's first demo credential: the one that opens its documented routes. */
export function demoOf(provider: Provider): DemoCredential {
  const [first] = DEMO_CREDENTIALS[provider.slug as ProviderSlug];
  if (!first) throw new Error(`${provider.slug} lists no demo credential`);
  return first;
}

/** A documented call that its first demo credential opens, as the start-up banner prints it, ready for inject. */
export function demoCall(provider: Provider): { url: string; headers: Record<string, string> } {
  const { url, headers } = requestFromCurl(demoOf(provider).example.replaceAll('{base}', ''));
  return { url, headers };
}
