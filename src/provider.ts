import type { TSchema } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ProviderAdmin } from './control/record-admin.js';
import type { Clock } from './state/clock.js';
import type { MockState } from './state/state.js';
import type { ErrorFormatter } from './http/error-format.js';
import type { Verification } from './verify/verification.js';

/** What every provider's store is built from. */
export interface StoreContext {
  seed: number;
  /** How many users to generate beside the fixtures. */
  users: number;
  clock: Clock;
  /** Where counters, rate-limit windows and every other change that outlives a request are kept. */
  state: MockState;
  /** A folder of recorded fixtures (`provider-mock record`), laid out as fixtures/: served beside the documented ones. */
  fixtures?: string;
}

/** A credential that opens a provider, as printed at start-up and listed by the control plane. */
export interface DemoCredential {
  /** What it opens, for a person. */
  label: string;
  /**
   * How it is sent, naming one or more of: basic, bearer, query, header, path. The docs page offers
   * the credential to each security scheme whose way it names (or, for an API key, whose header or
   * parameter name); a basic credential's value is `user:password`, or the user name alone.
   */
  scheme: string;
  value: string;
  /** A ready-to-paste command against the mock at `{base}`. */
  example: string;
}

/** The neutral face of a provider's data: what the control plane and start-up need, no internals. */
export interface ProviderStore {
  /** Back to the seeded records, which each process keeps for itself; the counters and windows are the state's to reset. */
  reset(): void;
  /** The credentials printed at start-up; the first opens the provider's documented routes. */
  demoCredentials(): DemoCredential[];
}

export interface ProviderPluginOptions<S extends ProviderStore> {
  store: S;
}

export interface Provider<S extends ProviderStore = ProviderStore> {
  slug: string;
  title: string;
  /** The real service's base URL, for the OpenAPI document's servers. */
  serverUrl: string;
  /**
   * Where its documented API lives (`/api/v3`): a request under one of these paths that no route
   * serves, or that the router refuses (a malformed URL), is still answered in its error format.
   */
  pathPrefixes: readonly string[];
  /**
   * Set when the real service reads its parameters as Rails does (its pages are Apipie's): bodies
   * by their Content-Type on every method, the query string merged over the body, and a `.json`
   * format suffix on its paths (http/rails-parameters.ts).
   */
  framework?: 'rails';
  /** The caller's key or token, however the provider takes it (for faults aimed at one caller); undefined when none is readable. */
  credential(request: FastifyRequest): string | undefined;
  /** Its error format, for what fails before a route is found. */
  errorFormat(store: S): ErrorFormatter;
  /**
   * Its error envelope for one status, exactly: the schema every error body it answers with that
   * status meets, as its error format writes it (the suites that check every error hold answers to it).
   */
  errorEnvelope(status: number): TSchema;
  /** OpenAPI security schemes, keyed by the names its routes' `security` uses. */
  securitySchemes: Record<string, Record<string, unknown>>;
  createStore(context: StoreContext): S;
  plugin: FastifyPluginAsync<ProviderPluginOptions<S>>;
  /** Accounts and users the control plane may create, change and delete. */
  admin?: ProviderAdmin<S>;
  /** How `provider-mock verify` and `record` reach the real service's account: credentials, adapted cases, records. */
  verification?: Verification;
}

/** Keeps each provider's store type in its own definition while the list holds them side by side. */
export function defineProvider<S extends ProviderStore, const Slug extends string>(
  provider: Provider<S> & { slug: Slug },
): Provider & { slug: Slug } {
  return provider as unknown as Provider & { slug: Slug };
}
