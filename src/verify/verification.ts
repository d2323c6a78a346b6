import type { TSchema } from '@sinclair/typebox';
import type { Example } from '../data/examples.js';
import type { Check } from './checks.js';
import { CouldNotRun, type ServiceAnswer, UnexpectedAnswer, type ServiceRequest } from './http.js';

/** One GET to the service under check, counted against the run's budget. */
export type Call = (request: ServiceRequest) => Promise<ServiceAnswer>;

/** A documented example, as verify sends it to the service. */
export interface VerifyCase {
  /** The example's name (its file name). */
  name: string;
  /** The documented exchange, as the mock answers it. */
  example: Example;
  /** What is sent: the example's request with the given credential in place of the documented one. */
  request: ServiceRequest;
  /** False for the documented refusals, which keep their missing or invalid credential. */
  withCredential: boolean;
}

/** What `record` writes for a provider: `<out>/<slug>/accounts.json`, in the format of fixtures/<slug>/accounts.json. */
export interface RecordedAccounts {
  content: unknown;
  /** For a person: what was recorded. */
  summary: string;
}

export interface RecordOptions {
  /** The credential the records are served under instead of the real one. */
  as: string;
  /** Users read at most (Plaspy, Datonis). */
  maxUsers: number;
}

/** What verify and record need to know of a provider beyond its documented examples. */
export interface Verification {
  /** The headers that carry a credential, as the provider's documentation sends it. */
  authorize(credential: string): Record<string, string>;
  /** Fits the documented cases to the account behind the credential (a user id it has, say). */
  adapt?(cases: VerifyCase[], call: Call, credential: string): Promise<VerifyCase[]>;
  /** Behaviour checked on the account's own data, without writing anything. */
  semantics?(call: Call, credential: string): Promise<Check[]>;
  /** What `record` writes (the content of `<out>/<slug>/accounts.json`), checked before it is written. */
  recordSchema: TSchema;
  /** Reads the account behind the credential: the records to write, with `as` in place of the credential. */
  record(call: Call, credential: string, options: RecordOptions): Promise<RecordedAccounts>;
}

/** The body of an answer as JSON, or undefined when it is not. */
export function jsonOf(answer: ServiceAnswer): unknown {
  try {
    return JSON.parse(answer.text) as unknown;
  } catch {
    return undefined;
  }
}

/** The JSON of a 2xx answer; anything else means the account could not be read (exit 2), saying why. */
export function okJson(answer: ServiceAnswer, request: ServiceRequest): unknown {
  const what = `GET ${request.url.split('?')[0]}`;
  if (answer.status === 401 || answer.status === 403) {
    throw new CouldNotRun(`the service refused the credential on ${what} (${answer.status}): a valid credential was expected`);
  }
  const body = jsonOf(answer);
  if (answer.status < 200 || answer.status > 299 || body === undefined) {
    const status = answer.status < 200 || answer.status > 299 ? ` where 200 was expected` : '';
    throw new UnexpectedAnswer(`${what} answered ${answer.status}${status}${body === undefined ? ' without a JSON body' : ''}`);
  }
  return body;
}
