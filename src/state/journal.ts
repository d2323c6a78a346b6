import { MAX_NESTING_DEPTH, nestedDeeperThan } from '../http/nesting.js';
import { redactHeaders, redactQuery, redactUrl } from '../http/redaction.js';
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
  /** The replica that served it, when several share the state (--state-url). */
  replica?: string;
}

/**
 * A request as the response hook hands it over. The journal keeps none of the objects it refers
 * to: it writes, at once, the bounded and redacted text of what it keeps.
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
  durationMs: number;
}

/** Headers kept as JSON, when a value is not a string. */
const AS_JSON = '\u0000json';
/** The first character of a kept body's text: a string as sent, or JSON. */
const STRING_BODY = 's';
const JSON_BODY = 'j';
/** An answer's JSON as sent: parsed when the journal is read. */
const JSON_TEXT = 't';

/** Bodies larger than this are kept as a note of their size, so the journal's memory stays bounded. */
export const MAX_JOURNAL_BODY_BYTES = 16 * 1024;

/** The query as its text record: nothing for an empty one, JSON otherwise. */
function queryText(query: unknown): string {
  if (query === null || typeof query !== 'object') return '';
  for (const _ in query) return JSON.stringify(redactQuery(query));
  return '';
}

function queryOf(text: string | undefined): Record<string, unknown> {
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function declaredLength(headers: Record<string, unknown>): number | undefined {
  const length = Number(headers['content-length']);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

function note(bytes: number | undefined, extra: Record<string, unknown> = {}): string {
  return `${JSON_BODY}${JSON.stringify({ truncated: true, bytes: bytes ?? null, ...extra })}`;
}

/**
 * A body as the journal keeps it, as text: as sent when small, a note of its size when over 16 KB
 * (sent, by its Content-Length, or as JSON), or of its depth when nested too deep to serialize
 * safely. Made when the request is recorded, so that no reference to a large body is kept.
 */
export function bodyText(body: unknown, headers: Record<string, unknown> = {}): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') {
    const bytes = Buffer.byteLength(body);
    return bytes <= MAX_JOURNAL_BODY_BYTES ? `${STRING_BODY}${body}` : note(bytes);
  }
  const declared = declaredLength(headers);
  if (declared !== undefined && declared > MAX_JOURNAL_BODY_BYTES) return note(declared);
  if (Buffer.isBuffer(body)) return note(body.length);
  if (nestedDeeperThan(body)) return note(declared, { nestedDeeperThan: MAX_NESTING_DEPTH });
  const text = JSON.stringify(body) ?? 'null';
  const bytes = Buffer.byteLength(text);
  return bytes <= MAX_JOURNAL_BODY_BYTES ? `${JSON_BODY}${text}` : note(declared ?? bytes);
}

const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/i;

/**
 * An answer's payload as the journal keeps it, bounded as request bodies are: JSON and text kept as
 * sent up to 16 KB, a note of the size beyond; a stream (nothing the mock's providers send) as a note.
 */
export function answerText(payload: unknown, type: string | undefined): string {
  if (payload === undefined || payload === null) return '';
  let text: string;
  if (typeof payload === 'string') {
    const bytes = Buffer.byteLength(payload);
    if (bytes > MAX_JOURNAL_BODY_BYTES) return note(bytes);
    text = payload;
  } else if (Buffer.isBuffer(payload)) {
    if (payload.length > MAX_JOURNAL_BODY_BYTES) return note(payload.length);
    text = payload.toString('utf8');
  } else {
    return note(undefined);
  }
  if (text === '') return '';
  return `${type !== undefined && JSON_TYPE.test(type) ? JSON_TEXT : STRING_BODY}${text}`;
}

function bodyOf(text: string): unknown {
  if (text === '') return null;
  if (text[0] === STRING_BODY) return text.slice(1);
  if (text[0] === JSON_BODY) return JSON.parse(text.slice(1));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(1));
  } catch {
    return text.slice(1);
  }
  return nestedDeeperThan(parsed) ? { truncated: true, bytes: Buffer.byteLength(text) - 1, nestedDeeperThan: MAX_NESTING_DEPTH } : parsed;
}

/** The strings of a request's text record: url, query, body, the answer's body, then the headers as name and value pairs (or as JSON). */
function requestText(request: RequestRecord): string[] {
  const headers = redactHeaders(request.headers);
  const strings = [
    redactUrl(request.url),
    queryText(request.query),
    bodyText(request.body, request.headers),
    answerText(request.responseBody, request.responseType),
  ];
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string') return [...strings.slice(0, HEADERS_FROM), AS_JSON, JSON.stringify(headers)];
    strings.push(name, value);
  }
  return strings;
}

const HEADERS_FROM = 4;

function headersOf(strings: readonly string[]): Record<string, unknown> {
  if (strings[HEADERS_FROM] === AS_JSON) return JSON.parse(strings[HEADERS_FROM + 1]!) as Record<string, unknown>;
  const headers: Record<string, unknown> = {};
  for (let i = HEADERS_FROM; i + 1 < strings.length; i += 2) headers[strings[i]!] = strings[i + 1];
  return headers;
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

/** A request as its journal entry, bounded and redacted as the journal keeps it; for a journal kept elsewhere (Redis). */
export function journalEntryOf(request: RequestRecord): Omit<JournalEntry, 'id'> {
  const strings = requestText(request);
  return {
    time: new Date(request.time).toISOString(),
    provider: request.provider,
    method: request.method,
    path: pathOf(strings[0]!),
    query: queryOf(strings[1]),
    headers: headersOf(strings),
    body: bodyOf(strings[2]!),
    status: request.status,
    responseBody: bodyOf(strings[3]!),
    credential: request.credential ?? null,
    durationMs: request.durationMs,
  };
}

export interface JournalFilter {
  provider?: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string;
  limit?: number;
}

/** What `count` matches: the list's filters, and the method, status, credential, query parameters and headers. */
export interface JournalMatch extends Omit<JournalFilter, 'limit'> {
  method?: string;
  status?: number;
  /** A credential's identity (`sha256:ab12cd34`), as entries keep it. */
  credential?: string;
  /** Query parameters by name: each must have this value, as sent or as the journal shows it (redacted). */
  query?: Record<string, string>;
  /** Headers by lower-case name, matched as query parameters are. */
  headers?: Record<string, string>;
}

/** The entries a filter matched: the last `limit` of them, and how many matched in all. */
export interface JournalPage {
  total: number;
  requests: JournalEntry[];
}

/** A value as sent matches one kept redacted too. */
function sameValue(kept: unknown, wanted: string, redact: (value: string) => unknown): boolean {
  if (Array.isArray(kept)) return kept.some((item) => sameValue(item, wanted, redact));
  if (kept === undefined || kept === null) return false;
  const text = typeof kept === 'string' ? kept : String(kept);
  return text === wanted || text === redact(wanted);
}

function matchesAll(kept: Record<string, unknown>, wanted: Record<string, string> | undefined, redact: (name: string, value: string) => unknown): boolean {
  if (wanted === undefined) return true;
  for (const name in wanted) {
    if (!sameValue(Object.hasOwn(kept, name) ? kept[name] : undefined, wanted[name]!, (value) => redact(name, value))) return false;
  }
  return true;
}

const redactedHeader = (name: string, value: string) => redactHeaders({ [name]: value })[name];
const redactedParameter = (name: string, value: string) => (redactQuery({ [name]: value }) as Record<string, unknown>)[name];

/** Whether a whole entry matches, as the in-memory journal matches its slots: for a journal kept elsewhere (Redis). */
export function entryMatches(entry: JournalEntry, match: JournalMatch): boolean {
  const prefix = match.path?.endsWith('*') ? match.path.slice(0, -1) : undefined;
  if (match.provider !== undefined && entry.provider !== match.provider) return false;
  if (match.method !== undefined && entry.method !== match.method) return false;
  if (match.status !== undefined && entry.status !== match.status) return false;
  if (match.credential !== undefined && entry.credential !== match.credential) return false;
  if (match.path !== undefined && (prefix !== undefined ? !entry.path.startsWith(prefix) : entry.path !== match.path)) return false;
  return matchesAll(entry.query, match.query, redactedParameter) && matchesAll(entry.headers, match.headers, redactedHeader);
}

/**
 * The last `capacity` requests, oldest dropped first. A request's numbers are kept in typed arrays
 * and its text (URL, query, body, headers: secrets redacted, a body over 16 KB as its size) as
 * bytes (see TextRing), so that the journal holds no object per request; entries are made when
 * the journal is read. Its memory is bounded by capacity × (16 KB of body + 16 KB of answer + the
 * headers Node accepts, 16 KB), and reading it never serializes more than that.
 */
export class Journal {
  private readonly text: TextRing;
  private readonly ids: Float64Array;
  private readonly times: Float64Array;
  private readonly durations: Float64Array;
  private readonly statuses: Uint16Array;
  /** Provider slugs and methods: the same few strings, shared by every request. */
  private readonly providers: (string | null)[];
  private readonly methods: string[];
  /** Credential identities: a few, shared by many requests. */
  private readonly credentials: (string | null)[];
  private nextId = 1;

  constructor(readonly capacity: number) {
    this.text = new TextRing(capacity);
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
    this.providers = new Array<string | null>(capacity).fill(null);
    this.methods = new Array<string>(capacity).fill('');
    this.credentials = new Array<string | null>(capacity).fill(null);
  }

  /** Records an entry given whole (its query string in `query`), as a request is recorded. */
  record(entry: Omit<JournalEntry, 'id' | 'responseBody' | 'credential'> & Partial<Pick<JournalEntry, 'responseBody' | 'credential'>>): void {
    const { responseBody, ...rest } = entry;
    const answer = responseBody === undefined || responseBody === null ? undefined : JSON.stringify(responseBody);
    this.recordRequest({ ...rest, time: Date.parse(entry.time), url: entry.path, responseBody: answer, responseType: 'application/json' });
  }

  /** Records a request from what the response hook sees; the objects it refers to are not kept. */
  recordRequest(request: RequestRecord): void {
    if (this.capacity === 0) return;
    const slot = this.text.push(requestText(request));
    this.ids[slot] = this.nextId++;
    this.times[slot] = request.time;
    this.durations[slot] = request.durationMs;
    this.statuses[slot] = request.status;
    this.providers[slot] = request.provider;
    this.methods[slot] = request.method;
    this.credentials[slot] = request.credential ?? null;
  }

  /** Oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    return this.page(filter).requests;
  }

  /** The last `limit` entries that match, oldest first, and how many matched in all. */
  page(filter: JournalFilter = {}): JournalPage {
    const matching = this.matching(filter);
    const kept = filter.limit === undefined ? matching : matching.slice(-filter.limit);
    return { total: matching.length, requests: kept.map((slot) => this.entryAt(slot)) };
  }

  /** How many entries match. */
  count(match: JournalMatch = {}): number {
    return this.matching(match).length;
  }

  /** The slots of the entries that match, oldest first: the numbers compared first, the text read only when needed. */
  private matching(match: JournalMatch): number[] {
    const prefix = match.path?.endsWith('*') ? match.path.slice(0, -1) : undefined;
    const slots: number[] = [];
    for (let k = 0; k < this.text.size; k++) {
      const slot = this.text.slotAt(k);
      if (match.provider !== undefined && (this.providers[slot] ?? null) !== match.provider) continue;
      if (match.method !== undefined && this.methods[slot] !== match.method) continue;
      if (match.status !== undefined && this.statuses[slot] !== match.status) continue;
      if (match.credential !== undefined && this.credentials[slot] !== match.credential) continue;
      if (match.path !== undefined) {
        const path = pathOf(this.text.read(slot, 1)[0]!);
        if (prefix !== undefined ? !path.startsWith(prefix) : path !== match.path) continue;
      }
      if (match.query !== undefined || match.headers !== undefined) {
        const strings = this.text.read(slot);
        if (!matchesAll(queryOf(strings[1]), match.query, redactedParameter)) continue;
        if (!matchesAll(headersOf(strings), match.headers, redactedHeader)) continue;
      }
      slots.push(slot);
    }
    return slots;
  }

  private entryAt(slot: number): JournalEntry {
    const strings = this.text.read(slot);
    return {
      id: this.ids[slot]!,
      time: new Date(this.times[slot]!).toISOString(),
      provider: this.providers[slot] ?? null,
      method: this.methods[slot]!,
      path: pathOf(strings[0]!),
      query: queryOf(strings[1]),
      headers: headersOf(strings),
      body: bodyOf(strings[2]!),
      status: this.statuses[slot]!,
      responseBody: bodyOf(strings[3]!),
      credential: this.credentials[slot] ?? null,
      durationMs: this.durations[slot]!,
    };
  }

  get size(): number {
    return this.text.size;
  }

  clear(): void {
    this.text.clear();
  }
}
