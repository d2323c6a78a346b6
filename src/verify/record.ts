import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouldNotRun, ServiceClient, type ServiceRequest } from './http.js';
import { verifiable } from './verify.js';

export const DEFAULT_MAX_USERS = 1000;
export const MAX_MAX_USERS = 100_000;

export interface RecordProviderOptions {
  provider: string;
  baseUrl: string;
  /** The real credential: used to read, never written. */
  credential: string;
  /** The folder to write `<slug>/accounts.json` into: what `--fixtures` then serves. */
  out: string;
  /** The credential the mock serves the records under; a generated one when absent. */
  as?: string;
  /** Users read at most (Plaspy, Datonis); 1,000 when absent. */
  maxUsers?: number;
}

export interface RecordResult {
  provider: string;
  /** The file written. */
  file: string;
  /** The credential the records are served under. */
  as: string;
  /** Whether `as` was generated here (it is printed then, since nothing else holds it). */
  generated: boolean;
  summary: string;
  requests: number;
}

/** A JSON text with every trace of the credential, plain or as a Basic pair, replaced by `as`. */
function scrubbed(text: string, credential: string, as: string): string {
  const traces = [credential, encodeURIComponent(credential), Buffer.from(`${credential}:`).toString('base64')];
  let out = text;
  for (const trace of traces) out = out.split(JSON.stringify(trace).slice(1, -1)).join(JSON.stringify(as).slice(1, -1));
  return out;
}

/**
 * Reads the account behind the credential from the service and writes it in the mock's own fixture
 * format to `<out>/<slug>/accounts.json`, under the credential `as`; the real one is written nowhere.
 */
export async function recordProvider(options: RecordProviderOptions): Promise<RecordResult> {
  const provider = verifiable(options.provider);
  const maxUsers = options.maxUsers ?? DEFAULT_MAX_USERS;
  if (!Number.isInteger(maxUsers) || maxUsers < 1 || maxUsers > MAX_MAX_USERS) {
    throw new CouldNotRun(`--max-users: an integer from 1 to ${MAX_MAX_USERS}`);
  }
  if (options.credential === '') throw new CouldNotRun('--credential is empty');
  const as = options.as ?? randomBytes(20).toString('hex');
  if (as === '' || as.includes(options.credential) || options.credential.includes(as)) {
    throw new CouldNotRun('--as must be another credential than --credential');
  }
  // a page per 100 users, and the first call
  const client = new ServiceClient(options.baseUrl, 2 + Math.ceil(maxUsers / 100));
  const recorded = await provider.verification.record((request: ServiceRequest) => client.get(request), options.credential, { as, maxUsers });
  const text = scrubbed(`${JSON.stringify(recorded.content, null, 2)}\n`, options.credential, as);
  if (text.includes(options.credential)) throw new CouldNotRun('the records hold the credential in a form that cannot be replaced');
  const folder = join(options.out, provider.slug);
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'accounts.json');
  writeFileSync(file, text);
  return { provider: provider.slug, file, as, generated: options.as === undefined, summary: recorded.summary, requests: client.sent };
}
