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
  durationMs: number;
}

/** Headers kept as JSON, when a value is not a string. */
const AS_JSON = '\u0000json';
/** The first character of a kept body's text: a string as sent, or JSON. */
const STRING_BODY = 's';
const JSON_BODY = 'j';

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

function bodyOf(text: string): unknown {
  if (text === '') return null;
  return text[0] === STRING_BODY ? text.slice(1) : JSON.parse(text.slice(1));
}

/** The strings of a request's text record: url, query, body, then the headers as name and value pairs (or as JSON). */
function requestText(request: RequestRecord): string[] {
  const headers = redactHeaders(request.headers);
  const strings = [redactUrl(request.url), queryText(request.query), bodyText(request.body, request.headers)];
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string') return [strings[0]!, strings[1]!, strings[2]!, AS_JSON, JSON.stringify(headers)];
    strings.push(name, value);
  }
  return strings;
}

const HEADERS_FROM = 3;

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
    durationMs: request.durationMs,
  };
}

export interface JournalFilter {
  provider?: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string;
  limit?: number;
}

/**
 * The last `capacity` requests, oldest dropped first. A request's numbers are kept in typed arrays
 * and its text (URL, query, body, headers: secrets redacted, a body over 16 KB as its size) as
 * bytes (see TextRing), so that the journal holds no object per request; entries are made when
 * the journal is read. Its memory is bounded by capacity × (16 KB of body + the headers Node
 * accepts, 16 KB), and reading it never serializes more than that.
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
  private nextId = 1;

  constructor(readonly capacity: number) {
    this.text = new TextRing(capacity);
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
    this.providers = new Array<string | null>(capacity).fill(null);
    this.methods = new Array<string>(capacity).fill('');
  }

  /** Records an entry given whole (its query string in `query`), as a request is recorded. */
  record(entry: Omit<JournalEntry, 'id'>): void {
    this.recordRequest({ ...entry, time: Date.parse(entry.time), url: entry.path });
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
  }

  /** Oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const prefix = filter.path?.endsWith('*') ? filter.path.slice(0, -1) : undefined;
    const matching: number[] = [];
    for (let k = 0; k < this.text.size; k++) {
      const slot = this.text.slotAt(k);
      if (filter.provider !== undefined && (this.providers[slot] ?? null) !== filter.provider) continue;
      if (filter.path !== undefined) {
        const path = pathOf(this.text.read(slot, 1)[0]!);
        if (prefix !== undefined ? !path.startsWith(prefix) : path !== filter.path) continue;
      }
      matching.push(slot);
    }
    const kept = filter.limit === undefined ? matching : matching.slice(-filter.limit);
    return kept.map((slot) => this.entryAt(slot));
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
