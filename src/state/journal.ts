import { TextRing } from './text-ring.js';

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
 * A request as the response hook hands it over. The journal copies what it keeps (the body, when
 * there is one, by reference: it is not changed once the response is sent).
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

/** Query or headers kept as JSON, when a value is not a string. */
const AS_JSON = '\u0000json';

/** The query as its text record: nothing for an empty one, JSON otherwise. */
function queryText(query: unknown): string {
  if (query === null || typeof query !== 'object') return '';
  for (const _ in query) return JSON.stringify(query);
  return '';
}

function queryOf(text: string | undefined): Record<string, unknown> {
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** The strings of a request's text record: url, query, then the headers as name and value pairs (or as JSON). */
function requestText(request: RequestRecord): string[] {
  const strings = [request.url, queryText(request.query)];
  const { headers } = request;
  for (const name in headers) {
    const value = headers[name];
    if (typeof value !== 'string') return [request.url, strings[1]!, AS_JSON, JSON.stringify(headers)];
    strings.push(name, value);
  }
  return strings;
}

function headersOf(strings: readonly string[]): Record<string, unknown> {
  if (strings[2] === AS_JSON) return JSON.parse(strings[3]!) as Record<string, unknown>;
  const headers: Record<string, unknown> = {};
  for (let i = 2; i + 1 < strings.length; i += 2) headers[strings[i]!] = strings[i + 1];
  return headers;
}

function pathOf(url: string): string {
  return url.split('?')[0] ?? url;
}

export interface JournalFilter {
  provider?: string;
  /** Exact path, or a prefix when it ends with `*`. */
  path?: string;
  limit?: number;
}

/** Bodies larger than this are kept as a note of their size, so the journal's memory stays bounded. */
export const MAX_JOURNAL_BODY_BYTES = 16 * 1024;

/**
 * The last `capacity` requests, oldest dropped first. A request's numbers are kept in typed arrays
 * and its text (URL, query, headers) as bytes (see TextRing), so that the journal holds no object
 * per request unless it carries a body; entries are made when the journal is read.
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
  private readonly bodies: unknown[];
  /** Entries recorded whole, by `record`. */
  private readonly whole: (JournalEntry | undefined)[];
  private nextId = 1;

  constructor(readonly capacity: number) {
    this.text = new TextRing(capacity);
    this.ids = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.statuses = new Uint16Array(capacity);
    this.providers = new Array<string | null>(capacity).fill(null);
    this.methods = new Array<string>(capacity).fill('');
    this.bodies = new Array<unknown>(capacity).fill(undefined);
    this.whole = new Array<JournalEntry | undefined>(capacity).fill(undefined);
  }

  record(entry: Omit<JournalEntry, 'id'>): void {
    if (this.capacity === 0) return;
    const slot = this.text.push([]);
    this.whole[slot] = { id: this.nextId++, ...entry };
    this.bodies[slot] = undefined;
  }

  /** Records a request from what the response hook sees; the objects it refers to are not kept. */
  recordRequest(request: RequestRecord): void {
    if (this.capacity === 0) return;
    const slot = this.text.push(requestText(request));
    this.whole[slot] = undefined;
    this.ids[slot] = this.nextId++;
    this.times[slot] = request.time;
    this.durations[slot] = request.durationMs;
    this.statuses[slot] = request.status;
    this.providers[slot] = request.provider;
    this.methods[slot] = request.method;
    this.bodies[slot] = request.body ?? undefined;
  }

  /** Oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const prefix = filter.path?.endsWith('*') ? filter.path.slice(0, -1) : undefined;
    const matching: number[] = [];
    for (let k = 0; k < this.text.size; k++) {
      const slot = this.text.slotAt(k);
      const whole = this.whole[slot];
      const provider = whole ? whole.provider : (this.providers[slot] ?? null);
      if (filter.provider !== undefined && provider !== filter.provider) continue;
      if (filter.path !== undefined) {
        const path = whole ? whole.path : pathOf(this.text.read(slot, 1)[0]!);
        if (prefix !== undefined ? !path.startsWith(prefix) : path !== filter.path) continue;
      }
      matching.push(slot);
    }
    const kept = filter.limit === undefined ? matching : matching.slice(-filter.limit);
    return kept.map((slot) => this.entryAt(slot));
  }

  private entryAt(slot: number): JournalEntry {
    const whole = this.whole[slot];
    if (whole) return whole;
    const strings = this.text.read(slot);
    return {
      id: this.ids[slot]!,
      time: new Date(this.times[slot]!).toISOString(),
      provider: this.providers[slot] ?? null,
      method: this.methods[slot]!,
      path: pathOf(strings[0]!),
      query: queryOf(strings[1]),
      headers: journalHeaders(headersOf(strings)),
      body: journalBody(this.bodies[slot]),
      status: this.statuses[slot]!,
      durationMs: this.durations[slot]!,
    };
  }

  get size(): number {
    return this.text.size;
  }

  clear(): void {
    this.text.clear();
    this.bodies.fill(undefined);
    this.whole.fill(undefined);
  }
}

/** A body as the journal keeps it: as sent when small, a note of its size when not. */
export function journalBody(body: unknown): unknown {
  if (body === undefined || body === null) return null;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  if (Buffer.byteLength(text) <= MAX_JOURNAL_BODY_BYTES) return body;
  return { truncated: true, bytes: Buffer.byteLength(text) };
}

/** What replaces a password in a journalled `Authorization: Basic` header. */
export const REDACTED_PASSWORD = '[redacted]';

/**
 * Headers as the journal keeps them: as sent, except that the password of a Basic credential is
 * replaced (the user name, an API token for the providers, stays readable), so that the control
 * plane never hands a password back.
 */
export function journalHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const kept = { ...headers };
  const match = typeof kept.authorization === 'string' ? /^(Basic\s+)([A-Za-z0-9+/=_-]+)\s*$/i.exec(kept.authorization) : null;
  if (match) {
    const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon !== -1 && colon < decoded.length - 1) {
      kept.authorization = `${match[1]}${Buffer.from(`${decoded.slice(0, colon)}:${REDACTED_PASSWORD}`).toString('base64')}`;
    }
  }
  return kept;
}
