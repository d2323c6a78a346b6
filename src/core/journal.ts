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
}

/**
 * A request as the response hook hands it over: references and numbers only, made into a
 * JournalEntry when the journal is read, so that recording costs one small object per request.
 * The objects referred to are not changed once the response is sent.
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

/** An entry as recorded, or a request kept by reference with its id (in a wrapper: copying it with one more field is slow). */
type Kept = JournalEntry | { id: number; request: RequestRecord };

function entryOf(kept: Kept): JournalEntry {
  if (!('request' in kept)) return kept;
  const { id, request } = kept;
  return {
    id,
    time: new Date(request.time).toISOString(),
    provider: request.provider,
    method: request.method,
    path: pathOf(request.url),
    query: { ...(request.query as Record<string, unknown>) },
    headers: journalHeaders(request.headers),
    body: journalBody(request.body),
    status: request.status,
    durationMs: request.durationMs,
  };
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

/** The last `capacity` requests, oldest dropped first. */
export class Journal {
  private entries: Kept[] = [];
  private start = 0;
  private nextId = 1;

  constructor(readonly capacity: number) {}

  record(entry: Omit<JournalEntry, 'id'>): void {
    this.keep({ id: this.nextId, ...entry });
  }

  /** Records a request from references, as the response hook sees it. */
  recordRequest(request: RequestRecord): void {
    this.keep({ id: this.nextId, request });
  }

  private keep(full: Kept): void {
    if (this.capacity === 0) return;
    this.nextId++;
    if (this.entries.length < this.capacity) {
      this.entries.push(full);
    } else {
      this.entries[this.start] = full;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** Oldest first. */
  list(filter: JournalFilter = {}): JournalEntry[] {
    const ordered = [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
    const prefix = filter.path?.endsWith('*') ? filter.path.slice(0, -1) : undefined;
    const matching = ordered.filter((entry) => {
      const path = 'request' in entry ? pathOf(entry.request.url) : entry.path;
      const provider = 'request' in entry ? entry.request.provider : entry.provider;
      return (
        (filter.provider === undefined || provider === filter.provider) &&
        (filter.path === undefined || (prefix !== undefined ? path.startsWith(prefix) : path === filter.path))
      );
    });
    return (filter.limit === undefined ? matching : matching.slice(-filter.limit)).map(entryOf);
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
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
