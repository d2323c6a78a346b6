import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { combinedDocument, providerDocument } from '../contract/documents.js';
import { findOperation, jsonResponse, type Document } from '../contract/operations.js';
import { type Example, readExamples } from '../data/examples.js';
import type { Provider } from '../provider.js';
import { providers } from '../providers.js';
import { type Check, type Schema, bodyFindings, firstOfEach } from './checks.js';
import { CouldNotRun, REQUEST_BUDGET, type ServiceAnswer, ServiceClient, type ServiceRequest, UnexpectedAnswer } from './http.js';
import { hideCredential, redactedValue } from './redact.js';
import { type Call, type Verification, type VerifyCase, jsonOf } from './verification.js';

export interface VerifyOptions {
  /** The provider's slug: datafiniti, fingerbank, plaspy or datonis. */
  provider: string;
  /** Where the service is, e.g. https://api.fingerbank.org */
  baseUrl: string;
  /** A valid credential of an account there (an API key or token): never in the report or a message. */
  credential: string;
  /** Time for the whole run; 60 s when absent. */
  timeoutMs?: number;
  /** Bytes of one answer, at most; 32 MiB when absent. */
  maxAnswerBytes?: number;
}

export interface VerifyReport {
  provider: string;
  baseUrl: string;
  /** GET requests sent, never more than `budget`. */
  requests: number;
  budget: number;
  /** True when every check passed. */
  passed: boolean;
  checks: Check[];
}

/** Headers every HTTP server sends its own way: not part of what the mock promises. */
const GENERIC_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-type']);

/** A provider with the means to be verified, or the reason it cannot (exit 2). */
export function verifiable(slug: string): Provider & { verification: Verification } {
  const provider = providers.find((candidate) => candidate.slug === slug);
  if (!provider) throw new CouldNotRun(`unknown provider '${slug}': one of ${providers.map((p) => p.slug).join(', ')}`);
  if (!provider.verification) throw new CouldNotRun(`provider '${slug}' cannot be verified`);
  return provider as Provider & { verification: Verification };
}

/**
 * The provider's OpenAPI document, as `npm run openapi` writes it to openapi/<slug>.json: made from
 * the routes' schemas here, so that verify needs no file beside the code (the Docker image has none).
 */
async function documentOf(app: FastifyInstance, provider: Provider): Promise<Document> {
  await app.ready();
  return providerDocument(combinedDocument(app.swagger() as Document, providers), provider);
}

/** The response schema an operation declares for a status, or its 4XX/5XX range. */
function schemaFor(document: Document, request: ServiceRequest, status: number): Schema | undefined {
  const entry = findOperation(document, 'GET', request.url);
  if (!entry) return undefined;
  const media = jsonResponse(entry.operation, status) ?? jsonResponse(entry.operation, `${String(status)[0]}XX`);
  return media?.schema as Schema | undefined;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text with every documented credential replaced by the given one. */
function swapped(text: string, documented: readonly string[], credential: string): string {
  if (documented.length === 0) return text;
  const pattern = new RegExp([...documented].sort((a, b) => b.length - a.length).map(escaped).join('|'), 'g');
  return text.replace(pattern, () => credential);
}

/** The example's request with the given credential wherever it carries a documented one (a Basic pair decoded first). */
function withCredential(request: Example['request'], documented: readonly string[], credential: string): ServiceRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() === 'host') continue;
    const basic = /^Basic\s+(\S+)$/i.exec(value)?.[1];
    headers[name] = basic
      ? `Basic ${Buffer.from(swapped(Buffer.from(basic, 'base64').toString('utf8'), documented, credential)).toString('base64')}`
      : swapped(value, documented, credential);
  }
  return {
    url: swapped(request.url, documented, encodeURIComponent(credential)),
    headers,
    ...(request.body === undefined ? {} : { body: swapped(request.body, documented, credential) }),
  };
}

/** Whether a documented request carries a documented credential anywhere (a Basic pair decoded). */
function carriesDocumented(request: Example['request'], documented: readonly string[]): boolean {
  const headers = Object.values(request.headers ?? {}).map((value) => {
    const basic = /^Basic\s+(\S+)$/i.exec(value)?.[1];
    return basic ? Buffer.from(basic, 'base64').toString('utf8') : value;
  });
  const texts = [request.url, request.body ?? '', ...headers];
  return documented.some((value) => texts.some((text) => text.includes(value)));
}

/** The documented examples as cases for the service, the documented credentials replaced by the given one. */
function casesOf(provider: Provider, app: FastifyInstance, credential: string): VerifyCase[] {
  const documented = [...new Set(app.mock.storeOf(provider.slug).demoCredentials().map((demo) => demo.value))];
  return readExamples(provider.slug).map(({ name, example }) => {
    const request = withCredential(example.request, documented, credential);
    return { name, example, request, withCredential: carriesDocumented(example.request, documented) };
  });
}

/** What the mock itself answers to the documented request: the headers it promises. */
async function mockAnswer(app: FastifyInstance, example: Example): Promise<ServiceAnswer> {
  const answer = await app.inject({
    method: 'GET',
    url: example.request.url,
    headers: example.request.headers,
    ...(example.request.body === undefined ? {} : { payload: example.request.body }),
  });
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
  return { status: answer.statusCode, headers, text: answer.body };
}

const mediaType = (value: string | undefined) => (value ?? '').split(';')[0]!.trim().toLowerCase();
const INTEGER = /^\d+$/;

/** The checks of one case: status, content type, the mock's headers, and the body against its schema. */
function checkCase(document: Document, item: VerifyCase, mock: ServiceAnswer, answer: ServiceAnswer, credential: string): Check[] {
  const name = item.name;
  const expected = item.example.response.status;
  const checks: Check[] = [];
  const pass = (check: string): Check => ({ case: name, check, result: 'pass' });
  checks.push(
    answer.status === expected
      ? pass('status')
      : { case: name, check: 'status', result: 'drift', kind: 'status', expected: String(expected), actual: String(answer.status) },
  );
  const mockType = mediaType(mock.headers['content-type']);
  const type = mediaType(answer.headers['content-type']);
  checks.push(
    type === mockType
      ? pass('content type')
      : { case: name, check: 'content type', result: 'drift', kind: 'content-type', expected: mockType, actual: type || 'none' },
  );
  const promised = answer.status === mock.status ? Object.keys(mock.headers).filter((header) => !GENERIC_HEADERS.has(header)) : [];
  if (answer.status === 429 && !promised.includes('retry-after')) promised.push('retry-after');
  for (const header of promised) {
    const value = answer.headers[header];
    const mockValue = mock.headers[header] ?? '0';
    const check = `header ${header}`;
    if (value === undefined) checks.push({ case: name, check, result: 'drift', kind: 'header', expected: `present (${mockValue})`, actual: 'absent' });
    else if (INTEGER.test(mockValue) && !INTEGER.test(value)) {
      checks.push({ case: name, check, result: 'drift', kind: 'header', expected: 'an integer', actual: value });
    } else checks.push(pass(check));
  }
  const bodyCheck = answer.status >= 400 ? 'error envelope' : 'body';
  const body = jsonOf(answer);
  if (body === undefined) {
    checks.push({ case: name, check: bodyCheck, result: 'drift', kind: 'not-json', pointer: '', expected: 'JSON', actual: JSON.stringify(hideCredential(answer.text.slice(0, 60 + credential.length), credential).slice(0, 60)) });
    return checks;
  }
  const schema = schemaFor(document, item.request, answer.status);
  if (!schema) return checks;
  const template = answer.status === expected ? item.example.response.body : undefined;
  const findings = firstOfEach(bodyFindings(body, schema, template));
  if (findings.length === 0) checks.push(pass(bodyCheck));
  for (const finding of findings) checks.push({ case: name, check: bodyCheck, result: 'drift', ...finding });
  return checks;
}

/** The provider's semantic checks; an answer they cannot read is one drift, not the end of the run. */
async function semanticChecks(semantics: NonNullable<Verification['semantics']>, call: Call, credential: string): Promise<Check[]> {
  try {
    return await semantics(call, credential);
  } catch (error) {
    if (!(error instanceof UnexpectedAnswer)) throw error;
    return [{ case: 'paging and order', check: 'a page of users', result: 'drift', kind: 'semantics', pointer: '', expected: 'a JSON page of users', actual: error.message }];
  }
}

/**
 * Sends the provider's documented requests (GET only, at most REQUEST_BUDGET of them) to the service
 * at `baseUrl` with the given credential, and compares each answer with what the mock promises.
 * Throws CouldNotRun when it cannot: unknown provider, service unreachable, credential refused, the
 * run past its time limit or an answer past its size limit. Neither the report nor the message of
 * what is thrown holds the credential.
 */
export async function verifyProvider(options: VerifyOptions): Promise<VerifyReport> {
  try {
    return redactedValue(await verifyWith(options), options.credential);
  } catch (error) {
    if (error instanceof CouldNotRun) throw new CouldNotRun(hideCredential(error.message, options.credential));
    throw error;
  }
}

async function verifyWith(options: VerifyOptions): Promise<VerifyReport> {
  const provider = verifiable(options.provider);
  if (options.credential === '') throw new CouldNotRun('--credential is empty');
  const client = new ServiceClient(options.baseUrl, { timeoutMs: options.timeoutMs, maxAnswerBytes: options.maxAnswerBytes });
  const call = (request: ServiceRequest) => client.get(request);
  const app = await buildApp({ users: 0 });
  try {
    const document = await documentOf(app, provider);
    let cases = casesOf(provider, app, options.credential);
    // the cases with the credential first: a refused credential stops the run before anything else is judged
    cases = [...cases.filter((item) => item.withCredential), ...cases.filter((item) => !item.withCredential)];
    if (provider.verification.adapt) cases = await provider.verification.adapt(cases, call, options.credential);
    const checks: Check[] = [];
    for (const item of cases) {
      const answer = await call(item.request);
      const expected = item.example.response.status;
      if (item.withCredential && expected < 300 && (answer.status === 401 || answer.status === 403)) {
        throw new CouldNotRun(
          `the service refused the credential on GET ${item.request.url.split('?')[0]} (${answer.status}) where a valid one was expected (example ${item.name})`,
        );
      }
      checks.push(...checkCase(document, item, await mockAnswer(app, item.example), answer, options.credential));
    }
    if (provider.verification.semantics) checks.push(...(await semanticChecks(provider.verification.semantics, call, options.credential)));
    return {
      provider: provider.slug,
      baseUrl: options.baseUrl,
      requests: client.sent,
      budget: REQUEST_BUDGET,
      passed: checks.every((check) => check.result === 'pass'),
      checks,
    };
  } finally {
    await app.close();
  }
}
