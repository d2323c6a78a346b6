import { MAX_NESTING_DEPTH, nestedDeeperThan } from '../http/nesting.js';
import { maxHeaderSize } from 'node:http';
import { redactHeaders, redactQuery, redactText, redactUrl } from '../http/redaction.js';
import type { RefusalReason } from '../http/credential-refusal.js';
import { TextRing } from './text-ring.js';

export { REDACTED_PASSWORD } from '../http/redaction.js';

export interface JournalEntry {
  id: number;
  time: string;
  provider: string | null;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body: unknown;
  status: number;
  /** The answer's body as sent: JSON parsed, other text as a string, over 16 KB a note of its size; null when none. */
  responseBody: unknown;
  /** The identity of the credential the request carried, however its provider takes it (`sha256:ab12cd34`); null when none. */
  credential: string | null;
  durationMs: number;
  /** Why its credential was refused (a 401): no credential, bad scheme, …; absent otherwise. */
  reason?: RefusalReason;
  /** The replica that served it, when several share the state (--state-url). */
  replica?: string;
}

/**
 * A request as the response hook hands it over: references to what the request and its answer
 * already hold. The journal keeps them as they are, within its bounds, and makes the entry
 * (redacted, truncated, as JSON) only when the journal is read.
 */
export interface RequestRecord {
  /** Milliseconds since the epoch. */
  time: number;
  provider: string | null;
  method: string;
  /** Path and query string, as sent. */
  url: string;
  query: unknown;
  headers: Record<string, unknown>;
  body: unknown;
  status: number;
  /** The answer's payload as the onSend hook sees it (a string or a Buffer; anything else is kept as a note). */
  responseBody?: unknown;
  /** The answer's Content-Type, which tells a JSON answer from text. */
  responseType?: string;
  /** The credential's identity (`credentialIdentity`), never the secret. */
  credential?: string | null;
  /**
   * The credential as the provider read it, wherever the request carried it (path, query, header):
   * kept only so that every entry read shows it redacted, wherever it shows; never shown.
   */
  secret?: string;
  durationMs: number;
  /** Why its credential was refused, when it was. */
  reason?: RefusalReason | undefined;
}

/** Bodies, queries and answers larger than this are kept as a note of their size, so the journal's memory stays bounded. */
export const MAX_JOURNAL_BODY_BYTES = 16 * 1024;

/** A part of a request over the bound (or nested too deep to serialize safely), kept as its size. */
class Oversized {
  constructor(
    readonly bytes: number | null,
    readonly nested = false,
  ) {}

  get note(): Record<string, unknown> {
    return this.nested ? { truncated: true, bytes: this.bytes, nestedDeeperThan: MAX_NESTING_DEPTH } : { truncated: true, bytes: this.bytes };
  }
}

/** A value measured as JSON when it was recorded (nothing told its size beforehand): kept as that text. */
class JsonText {
  constructor(readonly text: string) {}
}

/** A request's part as the journal keeps it: a reference, its JSON text, or a note of its size. */
type Kept = unknown;

function declaredLength(headers: Record<string, unknown>): number | undefined {
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length >= 0 && headers['content-length'] !== undefined ? length : undefined;
}

/** The UTF-8 size of a string when it is over the bound; measured only when its length cannot tell. */
function overBound(text: string): number | undefined {
  if (text.length * 3 <= MAX_JOURNAL_BODY_BYTES) return undefined;
  const bytes = Buffer.byteLength(text);
  return bytes > MAX_JOURNAL_BODY_BYTES ? bytes : undefined;
}

/**
 * A string kept by reference when its length is within the bound (it holds at most twice that in
 * memory), its UTF-8 size checked when the journal is read; over it, a note of that size. Measuring
 * each answer's UTF-8 size as it is recorded would read every byte of it.
 */
function keptString(text: string): Kept {
  return text.length <= MAX_JOURNAL_BODY_BYTES ? text : new Oversized(Buffer.byteLength(text));
}

/** A value whose size nothing declared: measured once, as JSON. */
function measured(value: unknown, declared: number | undefined): Kept {
  if (nestedDeeperThan(value)) return new Oversized(declared ?? null, true);
  const text = JSON.stringify(value) ?? 'null';
  const bytes = text.length * 3 <= MAX_JOURNAL_BODY_BYTES ? 0 : Buffer.byteLength(text);
  return bytes > MAX_JOURNAL_BODY_BYTES ? new Oversized(declared ?? bytes) : new JsonText(text);
}

/**
 * A body as the journal keeps it: as parsed when its declared length (Content-Length) is within
 * the bound, a note of its size when over it; measured as JSON when nothing declared its size.
 */
function keptBody(body: unknown, headers: Record<string, unknown>): Kept {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string') return keptString(body);
  if (Buffer.isBuffer(body)) return new Oversized(body.length);
  const declared = declaredLength(headers);
  if (declared === undefined) return measured(body, undefined);
  return declared > MAX_JOURNAL_BODY_BYTES ? new Oversized(declared) : body;
}

/**
 * The parsed query as the journal keeps it: as parsed when the URL and the body together are within
 * the bound (a provider may merge a body's parameters into it: Datonis's GET with a JSON body),
 * measured as JSON otherwise.
 */
function keptQuery(query: unknown, url: string, body: unknown, headers: Record<string, unknown>): Kept {
  if (query === null || typeof query !== 'object') return null;
  const declared = body === undefined || body === null ? 0 : declaredLength(headers);
  if (declared !== undefined && url.length + declared <= MAX_JOURNAL_BODY_BYTES) return query;
  // measured within the bound, the query itself is kept: a count by a parameter then reads it as is
  const kept = measured(query, undefined);
  return kept instanceof JsonText ? query : kept;
}

/** An answer's payload as the journal keeps it: the string or bytes sent, up to the bound; a note beyond, or of a stream. */
function keptAnswer(payload: unknown): Kept {
  if (payload === undefined || payload === null) return null;
  if (typeof payload === 'string') return keptString(payload);
  if (Buffer.isBuffer(payload)) return payload.length > MAX_JOURNAL_BODY_BYTES ? new Oversized(payload.length) : payload;
  return new Oversized(null);
}

/**
 * The headers as the journal keeps them: Node bounds them (maxHeaderSize, 16 KB unless the process
 * raised it), so they are measured only when the process allows more.
 */
function keptHeaders(headers: Record<string, unknown>): Record<string, unknown> | Oversized {
  if (maxHeaderSize <= MAX_JOURNAL_BODY_BYTES) return headers;
  const kept = measured(headers, undefined);
  return kept instanceof Oversized ? kept : headers;
}

/** A kept value as an entry shows it: a copy, every occurrence of the secret redacted, a note when over the bound or too deep. */
function shownValue(kept: Kept, secret: string | undefined, declared?: number): unknown {
  if (kept === null || kept === undefined) return null;
  if (kept instanceof Oversized) return kept.note;
  let text: string;
  if (kept instanceof JsonText) text = kept.text;
  else if (typeof kept === 'string') {
    const bytes = overBound(kept);
    return bytes === undefined ? redactText(kept, secret) : new Oversized(bytes).note;
  }
  else {
    if (nestedDeeperThan(kept)) return new Oversized(declared ?? null, true).note;
    text = JSON.stringify(kept) ?? 'null';
  }
  const shown = redactText(text, secret);
  const bytes = overBound(shown);
  return bytes === undefined ? JSON.parse(shown) : new Oversized(bytes).note;
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

/** A JSON answer's text, the secret redacted, before it is parsed as an entry shows it. */
class JsonAnswer {
  constructor(
    readonly text: string,
    /** The answer's size as sent, for the note that replaces it when nested too deep. */
    readonly bytes: () => number,
  ) {}

  /** Parsed; the text itself when it is not JSON after all, a note when nested too deep. */
  parsed(): unknown {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.text);
    } catch {
      return this.text;
    }
    return nestedDeeperThan(parsed) ? new Oversized(this.bytes(), true).note : parsed;
  }
}

/** An answer as an entry shows it, but a JSON answer not parsed yet: other text as a string, the secret redacted; null when none. */
function answerOf(kept: Kept, type: string | undefined, secret: string | undefined): unknown {
  if (kept === null || kept === undefined) return null;
  if (kept instanceof Oversized) return kept.note;
  const raw = Buffer.isBuffer(kept) ? kept.toString('utf8') : String(kept);
  if (raw === '') return null;
  const bytes = typeof kept === 'string' ? overBound(raw) : undefined;
  if (bytes !== undefined) return new Oversized(bytes).note;
  const text = redactText(raw, secret);
  if (type === undefined || !JSON_TYPE.test(type)) return text;
  return new JsonAnswer(text, () => Buffer.byteLength(raw));
}

/** An answer as an entry shows it: JSON parsed, other text as a string, the secret redacted; null when none. */
function shownAnswer(kept: Kept, type: string | undefined, secret: string | undefined): unknown {
  const answer = answerOf(kept, type, secret);
  return answer instanceof JsonAnswer ? answer.parsed() : answer;
}

/** A query as an entry shows it: parameters named as credentials, and the secret wherever it shows, redacted. */
function shownQuery(kept: Kept, secret: string | undefined): Record<string, unknown> {
  const shown = shownValue(kept, undefined);
  if (shown === null || typeof shown !== 'object') return {};
  const named = redactQuery(shown, secret) as Record<string, unknown>;
  if (secret === undefined) return named;
  const text = JSON.stringify(named);
  const without = redactText(text, secret);
  return without === text ? named : (JSON.parse(without) as Record<string, unknown>);
}

function shownHeaders(kept: Record<string, unknown> | Oversized, secret: string | undefined): Record<string, unknown> {
  if (kept instanceof Oversized) return kept.note;
  const shown = redactHeaders(kept, secret);
  return shown === kept ? { ...kept } : shown;
}

function pathOf(url: string): string {
  const mark = url.indexOf('?');
  return mark === -1 ? url : url.slice(0, mark);
}

/** An answer whose text the journal's ring holds. */
const IN_RING = Symbol('in the ring');
const NO_TEXT: readonly string[] = [];

/** A request's parts as the journal keeps them. */
interface KeptRequest {
  time: number;
  provider: string | null;
  method: string;
  url: string;
  query: Kept;
  headers: Record<string, unknown> | Oversized;
  body: Kept;
  status: number;
  answer: Kept;
  answerType: string | undefined;
  credential: string | null;
  secret: string | undefined;
  durationMs: number;
  reason: RefusalReason | undefined;
}

function kept(request: RequestRecord): KeptRequest {
  const { url, headers, body } = request;
  return {
    time: request.time,
    provider: request.provider,
    method: request.method,
    url,
    query: keptQuery(request.query, url, body, headers),
    headers: keptHeaders(headers),
    body: keptBody(body, headers),
    status: request.status,
    answer: keptAnswer(request.responseBody),
    answerType: request.responseType,
    credential: request.credential ?? null,
    secret: request.secret,
    durationMs: request.durationMs,
    reason: request.reason,
  };
}

function shownEntry(request: KeptRequest, responseBody = shownAnswer(request.answer, request.answerType, request.secret)): Omit<JournalEntry, 'id'> {
  const { secret } = request;
  return {
    time: new Date(request.time).toISOString(),
    provider: request.provider,
    method: request.method,
    path: pathOf(redactUrl(request.url, secret)),
    query: shownQuery(request.query, secret),
    headers: shownHeaders(request.headers, secret),
    body: shownValue(request.body, secret, request.headers instanceof Oversized ? undefined : declaredLength(request.headers)),
    status: request.status,
    responseBody,
    credential: request.credential,
    durationMs: request.durationMs,
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
}

/**
 * A request's journal entry as a journal kept elsewhere (Redis) stores it: bounded and redacted as
 * the journal shows it, but a JSON answer kept as its text (`answerText`), parsed only when the
 * entry is read (`storedEntryShown`), not as each call is answered.
 */
export type StoredEntry = Omit<JournalEntry, 'id'> & { answerText?: true };

export function storedEntryOf(request: RequestRecord): StoredEntry {
  const keptRequest = kept(request);
  const answer = answerOf(keptRequest.answer, keptRequest.answerType, keptRequest.secret);
  if (!(answer instanceof JsonAnswer)) return shownEntry(keptRequest, answer);
  const entry: StoredEntry = shownEntry(keptRequest, answer.text);
  entry.answerText = true;
  return entry;
}

/** A stored entry as the journal shows it. */
export function storedEntryShown(stored: StoredEntry & { id: number }): JournalEntry {
  if (!stored.answerText) return stored;
  const { answerText: _, ...entry } = stored;
  const text = entry.responseBody as string;
  return { ...entry, responseBody: new JsonAnswer(text, () => Buffer.byteLength(text)).parsed() };
}

export interface JournalFilter {
  provider?: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string;
  limit?: number;
  /** Only entries older than this id: the `cursor` of the page read before. */
  cursor?: number;
}

/** What `count` matches: the list's filters, and the method, status, credential, query parameters and headers. */
export interface JournalMatch extends Omit<JournalFilter, 'limit' | 'cursor'> {
  method?: string;
  status?: number;
  /** A credential's identity (`sha256:ab12cd34`), as entries keep it. */
  credential?: string;
  /** Query parameters by name: each must have this value, as sent or as the journal shows it (redacted). */
  query?: Record<string, string>;
  /** Headers by lower-case name, matched as query parameters are. */
  headers?: Record<string, string>;
}

/** The entries a filter matched: the last `limit` of them (older than `cursor`), and how many matched in all. */
export interface JournalPage {
  total: number;
  requests: JournalEntry[];
  /** The id to pass as `cursor` for the matching entries older than these; null when there are none. */
  cursor: number | null;
}

/**
 * How a kept value is compared with one wanted: `shown` gives the value as the journal shows it
 * (redacted), asked only when the wanted one may be such a value, so that a count compares most
 * entries' references as they are.
 */
type Shown = (name: string, value: string) => unknown;

/** Whether a wanted value can be a redacted one: an identity, or a Basic credential whose password shows redacted. */
const MAY_BE_SHOWN = /\[redacted|^basic /i;

/** A value kept as sent matches one wanted as sent, or as the journal shows it. */
function sameValue(kept: unknown, wanted: string, shown: ((value: string) => unknown) | undefined): boolean {
  if (Array.isArray(kept)) return kept.some((item) => sameValue(item, wanted, shown));
  if (kept === undefined || kept === null) return false;
  const text = typeof kept === 'string' ? kept : String(kept);
  return text === wanted || (shown !== undefined && shown(text) === wanted);
}

/** Whether every wanted field is one of the kept object's own, with the value wanted. */
function matchesAll(kept: Record<string, unknown>, wanted: Record<string, string> | undefined, shown: Shown): boolean {
  if (wanted === undefined) return true;
  for (const name in wanted) {
    const value = wanted[name]!;
    if (!Object.hasOwn(kept, name) || !sameValue(kept[name], value, MAY_BE_SHOWN.test(value) ? (text) => shown(name, text) : undefined)) return false;
  }
  return true;
}

function matchesPath(path: string, match: JournalMatch, prefix: string | undefined): boolean {
  return prefix !== undefined ? path.startsWith(prefix) : path === match.path;
}

function prefixOf(match: JournalMatch): string | undefined {
  return match.path?.endsWith('*') ? match.path.slice(0, -1) : undefined;
}

const shownHeader = (secret: string | undefined): Shown => (name, value) => redactHeaders({ [name]: value }, secret)[name];
const shownParameter = (secret: string | undefined): Shown => (name, value) => (redactQuery({ [name]: value }, secret) as Record<string, unknown>)[name];

/** Wanted values as an entry already redacted shows them (a secret given as sent becomes its redacted form). */
function asShown(wanted: Record<string, string> | undefined, shown: Shown): Record<string, string> | undefined {
  if (wanted === undefined) return undefined;
  const redacted: Record<string, string> = {};
  for (const name in wanted) {
    const value = shown(name, wanted[name]!);
    redacted[name] = typeof value === 'string' ? value : wanted[name]!;
  }
  return redacted;
}

/** Whether a whole entry matches, as the in-memory journal matches its slots: for a journal kept elsewhere (Redis). */
export function entryMatches(entry: JournalEntry, match: JournalMatch): boolean {
  if (match.provider !== undefined && entry.provider !== match.provider) return false;
  if (match.method !== undefined && entry.method !== match.method) return false;
  if (match.status !== undefined && entry.status !== match.status) return false;
  if (match.credential !== undefined && entry.credential !== match.credential) return false;
  if (match.path !== undefined && !matchesPath(entry.path, match, prefixOf(match))) return false;
  const none = () => undefined;
  const query = matchesAll(entry.query, match.query, none) || matchesAll(entry.query, asShown(match.query, shownParameter(undefined)), none);
  return query && (matchesAll(entry.headers, match.headers, none) || matchesAll(entry.headers, asShown(match.headers, shownHeader(undefined)), none));
}

/** The page a filter reads from entries listed whole, oldest first: for a journal kept elsewhere (Redis). */
export function pageOf(entries: readonly JournalEntry[], filter: JournalFilter = {}): JournalPage {
  const { limit, cursor, ...match } = filter;
  const matching = entries.filter((entry) => entryMatches(entry, match));
  const older = cursor === undefined ? matching : matching.filter((entry) => entry.id < cursor);
  const requests = limit === undefined ? older : older.slice(-limit);
  return { total: matching.length, requests, cursor: requests.length < older.length ? requests[0]!.id : null };
}

/**
 * The last `capacity` requests, oldest dropped first. A request's numbers are kept in typed arrays,
 * its parts as references to what the request and its answer already hold (its URL, headers,
 * parsed query and body, the answer's payload), each within the 16 KB bound by a size check that
 * reads a length, never by copying; the entry (redacted, truncated, as JSON) is made only when the
 * journal is read, for the entries read. Its memory is bounded by capacity × (16 KB of query + 16 KB
 * of body, as parsed + 16 KB of answer + the headers Node accepts, 16 KB). Recording a Datonis-like
 * answer of 7 KB by reference took 0.19 µs, against 27.7 µs when each entry was redacted and
 * encoded as UTF-8 bytes into a ring as it was recorded (50,000 records, medians of 6 interleaved
 * rounds, on a loaded 2-core machine); a small answer 0.15 against 7.4 µs. The answer's text is
 * the one part copied (below), for the garbage collector's sake.
 */
export class Journal {
  private readonly ids: Float64Array;
  private readonly times: Float64Array;
  private readonly durations: Float64Array;
  private readonly statuses: Uint16Array;
  private readonly providers: (string | null)[];
  private readonly methods: string[];
  private readonly credentials: (string | null)[];
  private readonly secrets: (string | undefined)[];
  private readonly urls: string[];
  private readonly queries: Kept[];
  private readonly headers: (Record<string, unknown> | Oversized)[];
  private readonly bodies: Kept[];
  private readonly answers: Kept[];
  private readonly answerTypes: (string | undefined)[];
  private readonly reasons: (RefusalReason | undefined)[];
  /**
   * Answers sent as strings, copied as UTF-16 bytes; the ring also gives each entry its slot. An
   * answer's string is most often made for that answer alone (a Datonis page): kept by reference,
   * a thousand of them outlived young collections and were copied and promoted. In a loop of
   * 100,000 Datonis-like answers of 7 KB each made fresh (on a loaded 2-core machine), garbage
   * collection took 37 to 40 µs per answer with every part kept by reference, 13 to 14 µs with the
   * answers copied here (11 to 19 µs when each entry was encoded whole as UTF-8, 4 to 8 µs with no
   * journal), and the loop 33 to 40 µs per answer in all, against 45 to 47 and 41 to 45.
   */
  private readonly answerText: TextRing;
  private nextId = 1;

  constructor(readonly capacity: number) {
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
    this.providers = new Array<string | null>(capacity).fill(null);
    this.methods = new Array<string>(capacity).fill('');
    this.credentials = new Array<string | null>(capacity).fill(null);
    this.secrets = new Array<string | undefined>(capacity).fill(undefined);
    this.urls = new Array<string>(capacity).fill('');
    this.queries = new Array<Kept>(capacity).fill(null);
    this.headers = new Array<Record<string, unknown>>(capacity).fill({});
    this.bodies = new Array<Kept>(capacity).fill(null);
    this.answers = new Array<Kept>(capacity).fill(null);
    this.answerTypes = new Array<string | undefined>(capacity).fill(undefined);
    this.reasons = new Array<RefusalReason | undefined>(capacity).fill(undefined);
    this.answerText = new TextRing(capacity, 'utf16le');
  }

  /** Records an entry given whole (its query string in `query`), as a request is recorded. */
  record(entry: Omit<JournalEntry, 'id' | 'responseBody' | 'credential'> & Partial<Pick<JournalEntry, 'responseBody' | 'credential'>>): void {
    const { responseBody, ...rest } = entry;
    const answer = responseBody === undefined || responseBody === null ? undefined : JSON.stringify(responseBody);
    this.recordRequest({ ...rest, time: Date.parse(entry.time), url: entry.path, responseBody: answer, responseType: 'application/json' });
  }

  /** Records a request from what the response hook sees: references, each within the bound. */
  recordRequest(request: RequestRecord): void {
    if (this.capacity === 0) return;
    const answer = keptAnswer(request.responseBody);
    const copied = typeof answer === 'string';
    const slot = this.answerText.push(copied ? [answer] : NO_TEXT);
    const { url, headers, body } = request;
    this.ids[slot] = this.nextId++;
    this.times[slot] = request.time;
    this.durations[slot] = request.durationMs;
    this.statuses[slot] = request.status;
    this.providers[slot] = request.provider;
    this.methods[slot] = request.method;
    this.credentials[slot] = request.credential ?? null;
    this.secrets[slot] = request.secret;
    this.urls[slot] = url;
    this.queries[slot] = keptQuery(request.query, url, body, headers);
    this.headers[slot] = keptHeaders(headers);
    this.bodies[slot] = keptBody(body, headers);
    this.answers[slot] = copied ? IN_RING : answer;
    this.answerTypes[slot] = request.responseType;
    this.reasons[slot] = request.reason;
  }

  /** Oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.page(filter).requests;
  }

  /** The last `limit` entries that match (older than `cursor`), oldest first, and how many matched in all. */
  page(filter: JournalFilter = {}): JournalPage {
    const { limit, cursor, ...match } = filter;
    const matching = this.matching(match);
    let older = matching.length;
    if (cursor !== undefined) while (older > 0 && this.ids[matching[older - 1]!]! >= cursor) older--;
    const from = limit === undefined ? 0 : Math.max(0, older - limit);
    const requests: JournalEntry[] = [];
    for (let k = from; k < older; k++) requests.push(this.entryAt(matching[k]!));
    return { total: matching.length, requests, cursor: from > 0 ? requests[0]!.id : null };
  }

  /** How many entries match. */
  count(match: JournalMatch = {}): number {
    return this.matching(match).length;
  }

  /**
   * The slots of the entries that match, oldest first. Each field is compared on the reference
   * kept, with no entry made: a count of 100,000 entries by a query parameter takes milliseconds.
   */
  private matching(match: JournalMatch): number[] {
    const prefix = prefixOf(match);
    // a path wanted as the journal shows it, its credential redacted
    const pathShown = match.path !== undefined && match.path.includes('[redacted ');
    const slots: number[] = [];
    for (let k = 0; k < this.answerText.size; k++) {
      const slot = this.answerText.slotAt(k);
      if (match.provider !== undefined && this.providers[slot] !== match.provider) continue;
      if (match.method !== undefined && this.methods[slot] !== match.method) continue;
      if (match.status !== undefined && this.statuses[slot] !== match.status) continue;
      if (match.credential !== undefined && this.credentials[slot] !== match.credential) continue;
      const secret = this.secrets[slot];
      if (match.path !== undefined) {
        const url = this.urls[slot]!;
        if (!matchesPath(pathOf(url), match, prefix) && !(pathShown && matchesPath(pathOf(redactUrl(url, secret)), match, prefix))) continue;
      }
      if (match.query !== undefined && !matchesAll(this.queryAt(slot), match.query, shownParameter(secret))) continue;
      if (match.headers !== undefined) {
        const headers = this.headers[slot]!;
        if (headers instanceof Oversized || !matchesAll(headers, match.headers, shownHeader(secret))) continue;
      }
      slots.push(slot);
    }
    return slots;
  }

  private queryAt(slot: number): Record<string, unknown> {
    const query = this.queries[slot];
    if (query instanceof JsonText) return JSON.parse(query.text) as Record<string, unknown>;
    return query !== null && typeof query === 'object' && !(query instanceof Oversized) ? (query as Record<string, unknown>) : {};
  }

  private entryAt(slot: number): JournalEntry {
    const entry = shownEntry({
      time: this.times[slot]!,
      provider: this.providers[slot] ?? null,
      method: this.methods[slot]!,
      url: this.urls[slot]!,
      query: this.queries[slot],
      headers: this.headers[slot]!,
      body: this.bodies[slot],
      status: this.statuses[slot]!,
      answer: this.answers[slot] === IN_RING ? this.answerText.read(slot)[0] : this.answers[slot],
      answerType: this.answerTypes[slot],
      credential: this.credentials[slot] ?? null,
      secret: this.secrets[slot],
      durationMs: this.durations[slot]!,
      reason: this.reasons[slot],
    });
    return { id: this.ids[slot]!, ...entry };
  }

  get size(): number {
    return this.answerText.size;
  }

  /** Drops every entry and the references it held. */
  clear(): void {
    this.answerText.clear();
    this.secrets.fill(undefined);
    this.urls.fill('');
    this.queries.fill(null);
    this.headers.fill({});
    this.bodies.fill(null);
    this.answers.fill(null);
    this.answerTypes.fill(undefined);
  }
}
