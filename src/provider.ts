import type { TObject, TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ProviderAdmin, RecordAdmin } from './record-admin.js';
import type { Clock } from './state/clock.js';
import type { MockState } from './state/state.js';
import type { ErrorFormatter } from './http/error-format.js';
import type { TypedScope } from './http/typed-scope.js';
import type { Step } from './state/step.js';
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

/** A call admitted: the caller its handler serves, and headers its answer carries (rate-limit figures). */
export interface Admission<C> {
  caller: C;
  headers?: Record<string, string>;
}

/**
 * A provider, declared: data and plain functions, no Fastify wiring. http/provider-scope.ts serves
 * every provider through the same steps, in the same order, from these. `I` is who `identify`
 * finds, `C` the caller its handlers serve once `admit` let the call in.
 */
export interface Provider<S extends ProviderStore = ProviderStore, I = unknown, C = unknown> {
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
  /**
   * When `identify` runs: on `arrival`, before the request is validated (a wrong credential is a
   * 401 whatever the parameters), or once `validated` (a malformed request is a 400 whatever the
   * credential, and touches no counter).
   */
  identifyWhen: 'arrival' | 'validated';
  /** Who calls: their account, or the documented 401/403 thrown. */
  identify(request: FastifyRequest, store: S): Step<I>;
  /**
   * Whether the identified call may be answered, once the request is valid: counted and admitted,
   * or refused (429) by throwing. Admitted as identified when absent.
   */
  admit?(identity: I, store: S): Step<Admission<C>>;
  /** Its routes: thin handlers, each reading the admitted caller through `caller`. */
  routes(scope: TypedScope, store: S, caller: (request: FastifyRequest) => C): void;
  /**
   * Its error format, for its own errors and what fails under its paths before a route is found;
   * `caller` is the admitted caller, undefined before admission or outside its routes.
   */
  errorFormat(store: S, caller: (request: FastifyRequest) => C | undefined): ErrorFormatter;
  /**
   * Its error envelope for one status, exactly: the schema every error body it answers with that
   * status meets, as its error format writes it (the suites that check every error hold answers to it).
   */
  errorEnvelope(status: number): TSchema;
  /** OpenAPI security schemes, keyed by the names its routes' `security` uses. */
  securitySchemes: Record<string, Record<string, unknown>>;
  createStore(context: StoreContext): S;
  /** Accounts and users the control plane may create, change and delete. */
  admin?: ProviderAdmin<S>;
  /** How `provider-mock verify` and `record` reach the real service's account: credentials, adapted cases, records. */
  verification?: Verification;
}

/** One kind of record as the provider list holds it: served from any store, with its own schemas. */
type ListedRecords<R> = R extends { create: infer Create extends TObject; patch: infer Patch extends TObject; view: infer View extends TSchema }
  ? RecordAdmin<ProviderStore, Create, Patch, View>
  : undefined;

/**
 * A provider's admin as the list holds it: the same functions for every provider, and its own
 * record schemas, from which the typed control client takes each provider's record types.
 */
export interface ListedAdmin<A> {
  accounts: ListedRecords<A extends { accounts: infer R } ? R : never>;
  users?: ListedRecords<A extends { users: infer R } ? R : never>;
}

/**
 * Keeps each provider's store type in its own definition while the list holds them side by side,
 * and its admin's record schemas.
 */
export function defineProvider<S extends ProviderStore, I, const Slug extends string, C = I, A extends ProviderAdmin<S> | undefined = undefined>(
  provider: Omit<Provider<S, I, C>, 'admin'> & { slug: Slug; admin?: A },
): Omit<Provider, 'admin'> & { slug: Slug; admin?: ListedAdmin<A> } {
  return provider as unknown as Omit<Provider, 'admin'> & { slug: Slug; admin?: ListedAdmin<A> };
}
