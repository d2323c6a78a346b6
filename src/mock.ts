import type { FastifyInstance } from 'fastify';
import type { BuildOptions } from './app.js';
import { ControlClient } from './control-client.js';
import { startServer } from './server.js';

// The package's API (package.json "exports"): what the README documents for test suites.
export { buildApp } from './app.js';
export type { BuildOptions } from './app.js';
export type { MockConfig, MockConfigInput } from './config.js';
export type { Clock } from './state/clock.js';
export { ControlClient, ControlError } from './control-client.js';
export type {
  AccountChanges,
  AccountFields,
  AccountRecord,
  ClockChange,
  ClockState,
  Fault,
  FaultSpec,
  FaultStep,
  JournalEntry,
  Listing,
  ProviderAccounts,
  ProviderSlug,
  ProviderWithUsers,
  RequestFilter,
  UserChanges,
  UserFields,
  UserRecord,
} from './control-client.js';
export type { JournalFilter } from './state/journal.js';
export type { JournalPage } from './control-client.js';
export type { DemoCredential } from './provider.js';
export { verifyProvider, type VerifyOptions, type VerifyReport } from './verify/verify.js';
export type { Check, DriftKind } from './verify/checks.js';
/** How the journal shows a secret (a token, a key): to find the requests that carried it. */
export { credentialIdentity, redacted } from './http/redaction.js';

export interface MockServer {
  /** Base URL of the mock, e.g. http://127.0.0.1:41234: point the clients under test at it. */
  url: string;
  /** Typed calls to the control plane: reset, clock, faults, journal, accounts and users. */
  control: ControlClient;
  /** The Fastify instance, for `inject` and for direct access to the state (`app.mock`). */
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * Starts provider-mock inside a test process, on a free loopback port unless told otherwise, quiet
 * unless a log level is given.
 */
export async function startMock(options: BuildOptions = {}): Promise<MockServer> {
  const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', ...options });
  return {
    url: server.url,
    control: new ControlClient(server.url, options.adminToken),
    app: server.app,
    close: server.close,
  };
}
