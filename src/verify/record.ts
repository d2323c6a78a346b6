import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouldNotRun, ServiceClient, type ServiceLimits, type ServiceRequest } from './http.js';
import { assertRecordable } from './record-schema.js';
import { hideCredential, replaceTraces } from './redact.js';
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
  /** Time for the whole run; 60 s when absent. */
  timeoutMs?: number;
  /** Bytes of one answer, at most; 32 MiB when absent. */
  maxAnswerBytes?: number;
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
  const escaped = (value: string) => JSON.stringify(value).slice(1, -1);
  return replaceTraces(replaceTraces(text, escaped(credential), escaped(as)), credential, escaped(as));
}

/** Writes the file, or says in one line why it cannot (exit 2). */
function written(out: string, slug: string, text: string): string {
  const folder = join(out, slug);
  const file = join(folder, 'accounts.json');
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new CouldNotRun(`--out: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return file;
}

/**
 * Reads the account behind the credential from the service and writes it in the mock's own fixture
 * format to `<out>/<slug>/accounts.json`, under the credential `as`; the real one is written nowhere.
 * Throws CouldNotRun, the credential hidden from its message, when it cannot.
 */
export async function recordProvider(options: RecordProviderOptions): Promise<RecordResult> {
  try {
    return await record(options);
  } catch (error) {
    if (error instanceof CouldNotRun) throw new CouldNotRun(hideCredential(error.message, options.credential));
    throw error;
  }
}

async function record(options: RecordProviderOptions): Promise<RecordResult> {
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
  const limits: ServiceLimits = { budget: 2 + Math.ceil(maxUsers / 100), timeoutMs: options.timeoutMs, maxAnswerBytes: options.maxAnswerBytes };
  const client = new ServiceClient(options.baseUrl, limits);
  const recorded = await provider.verification.record((request: ServiceRequest) => client.get(request), options.credential, { as, maxUsers });
  const text = scrubbed(`${JSON.stringify(recorded.content, null, 2)}\n`, options.credential, as);
  if (text.includes(options.credential)) throw new CouldNotRun('the records hold the credential in a form that cannot be replaced');
  // what the file will hold, read back: a number JSON cannot write (1e400) is checked as the null it becomes
  assertRecordable(JSON.parse(text), provider.verification.recordSchema);
  const file = written(options.out, provider.slug, text);
  return { provider: provider.slug, file, as, generated: options.as === undefined, summary: recorded.summary, requests: client.sent };
}
