import type { Static, TSchema } from '@sinclair/typebox';
import type { ClockChangeSchema, ClockSchema } from './control/clock.js';
import type { ClearedSchema } from './control/faults.js';
import type { JournalCountSchema, JournalPageSchema, journalCountQuerySchema } from './control/journal.js';
import type { GeneratedSchema, listingSchema } from './control/records.js';
import { asCredentialIdentity } from './http/redaction.js';
import type { JournalEntrySchema, faultSchema, faultSpecSchema } from './control/schemas.js';
import type { AccountsSchema, ResetSchema } from './control/reset-and-accounts.js';
import type { HealthSchema } from './control/health.js';
import type { JournalFilter } from './state/journal.js';
import type { ProviderSlug, providers } from './providers.js';

/*
 * The types of the control plane's bodies come from the TypeBox schemas its routes declare (and
 * validate and serialize with): a route changed is a type changed, with no mirror to keep in step.
 */

export type { ProviderSlug };
type Slugs = readonly ProviderSlug[];

/** A fault to add: `POST /__mock/faults`. */
export type FaultSpec = Static<ReturnType<typeof faultSpecSchema<Slugs>>>;
/** A fault in force, with its hits. */
export type Fault = Static<ReturnType<typeof faultSchema<Slugs>>>;
export type FaultStep = NonNullable<FaultSpec['sequence']>[number];
/** `{ now, offsetMs, frozen }`: the mock's time. */
export type ClockState = Static<typeof ClockSchema>;
/** `{ set?, advanceMs?, freeze? }`: a change of the mock's time. */
export type ClockChange = Static<typeof ClockChangeSchema>;
export type ProviderAccounts = Static<typeof AccountsSchema>['providers'][number];
export type JournalEntry = Static<typeof JournalEntrySchema>;
/** What `GET /__mock/requests` answers: the last `limit` entries that matched, oldest first, how many matched, and the journal's size. */
export type JournalPage = Static<typeof JournalPageSchema>;
/**
 * What `count` and `expectRequests` match (`GET /__mock/requests/count`): every field given must
 * match. `credential` is a key or token as sent, or its identity; `query` and `headers` (by
 * lower-case name) match a value as sent, or as the journal shows it.
 */
export type RequestFilter = Static<ReturnType<typeof journalCountQuerySchema<Slugs>>> & {
  query?: { [name: string]: string };
  headers?: { [name: string]: string };
};
export type Listing<T> = Omit<Static<ReturnType<typeof listingSchema<TSchema>>>, 'items'> & { items: T[] };

/** A provider's records, as its admin declares their schemas (providers/<slug>/admin.ts). */
type AdminOf<P extends ProviderSlug> = NonNullable<Extract<(typeof providers)[number], { slug: P }>['admin']>;
type UsersOf<P extends ProviderWithUsers> = NonNullable<AdminOf<P>['users']>;

/** The providers whose accounts hold users: `plaspy`, `datonis`. */
export type ProviderWithUsers = { [P in ProviderSlug]: AdminOf<P>['users'] extends undefined ? never : P }[ProviderSlug];
/** An account as the control plane shows it, e.g. `AccountRecord<'datafiniti'>`. */
export type AccountRecord<P extends ProviderSlug> = Static<AdminOf<P>['accounts']['view']>;
/** The fields an account is created with; those left out are generated. */
export type AccountFields<P extends ProviderSlug> = Static<AdminOf<P>['accounts']['create']>;
/** The fields of an account a change sets. */
export type AccountChanges<P extends ProviderSlug> = Static<AdminOf<P>['accounts']['patch']>;
/** A user of an account as the control plane shows it, e.g. `UserRecord<'plaspy'>`. */
export type UserRecord<P extends ProviderWithUsers> = Static<UsersOf<P>['view']>;
/** The fields a user is created with; those left out are generated. */
export type UserFields<P extends ProviderWithUsers> = Static<UsersOf<P>['create']>;
/** The fields of a user a change sets. */
export type UserChanges<P extends ProviderWithUsers> = Static<UsersOf<P>['patch']>;

/** A control-plane call that did not succeed, with the status and body the mock answered. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`control plane answered ${status}: ${JSON.stringify(body)}`);
    this.name = 'ControlError';
  }
}

/** Typed calls to a running mock's control plane (`/__mock/`). */
export class ControlClient {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken?: string,
  ) {}

  health(): Promise<Static<typeof HealthSchema>> {
    return this.call('GET', '/__mock/health');
  }

  /** Back to the seeded state: data, counters, rate-limit windows, faults and journal. */
  reset(): Promise<Static<typeof ResetSchema>> {
    return this.call('POST', '/__mock/reset');
  }

  /** Every provider's demo credentials and account counts. */
  async accounts(): Promise<ProviderAccounts[]> {
    return (await this.call<Static<typeof AccountsSchema>>('GET', '/__mock/accounts')).providers;
  }

  /** The mock's time: `{ now, offsetMs, frozen }`. */
  clock(): Promise<ClockState> {
    return this.call('GET', '/__mock/clock');
  }

  /** Moves the mock's time: `{ set }` an ISO 8601 instant, then `{ advanceMs }`, then `{ freeze }`; any of them together. */
  moveClock(change: ClockChange): Promise<ClockState> {
    return this.call('POST', '/__mock/clock', change);
  }

  addFault(spec: FaultSpec): Promise<Fault> {
    return this.call('POST', '/__mock/faults', spec);
  }

  faults(provider?: ProviderSlug): Promise<Fault[]> {
    return this.call('GET', `/__mock/faults${query({ provider })}`);
  }

  clearFaults(provider?: ProviderSlug): Promise<Static<typeof ClearedSchema>> {
    return this.call('DELETE', `/__mock/faults${query({ provider })}`);
  }

  removeFault(id: string): Promise<void> {
    return this.call('DELETE', `/__mock/faults/${encodeURIComponent(id)}`);
  }

  /**
   * The requests the providers received, oldest first: the last `limit` that match, or every one
   * the journal keeps, read page by page.
   */
  async requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    if (filter.limit !== undefined) return (await this.requestPage(filter)).requests;
    const entries: JournalEntry[] = [];
    let cursor = filter.cursor;
    for (;;) {
      const page = await this.requestPage({ ...filter, cursor, limit: LARGEST_PAGE });
      entries.unshift(...(cursor === undefined ? page.requests : page.requests.filter((entry) => entry.id < cursor!)));
      // a cursor that does not move back would read the same page again
      if (page.cursor === null || (cursor !== undefined && page.cursor >= cursor)) return entries;
      cursor = page.cursor;
    }
  }

  /** The journal's page: the last `limit` entries that matched (100 unless said, older than `cursor` when given), how many matched in all (`total`), and the `cursor` of the page before. */
  requestPage(filter: JournalFilter = {}): Promise<JournalPage> {
    return this.call('GET', `/__mock/requests${query({ ...filter })}`);
  }

  /** How many journaled requests match the filter. */
  async count(filter: RequestFilter = {}): Promise<number> {
    return (await this.call<Static<typeof JournalCountSchema>>('GET', `/__mock/requests/count${countQuery(filter)}`)).count;
  }

  /**
   * Throws unless exactly `expected` journaled requests match the filter, with what was received:
   * the count, and the last requests of the journal (method, path, status, credential).
   */
  async expectRequests(filter: RequestFilter, expected: number): Promise<void> {
    const received = await this.count(filter);
    if (received === expected) return;
    const page = await this.requestPage({ limit: SEARCHED_REQUESTS });
    throw new Error(describeMismatch(filter, expected, received, page));
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', '/__mock/requests');
  }

  listAccounts<P extends ProviderSlug>(provider: P, page = 1, per = 100): Promise<Listing<AccountRecord<P>>> {
    return this.call('GET', `${accountsPath(provider)}${query({ page, per })}`);
  }

  getAccount<P extends ProviderSlug>(provider: P, accountId: string): Promise<AccountRecord<P>> {
    return this.call('GET', accountsPath(provider, accountId));
  }

  createAccount<P extends ProviderSlug>(provider: P, fields?: AccountFields<P>): Promise<AccountRecord<P>> {
    return this.call('POST', accountsPath(provider), fields ?? {});
  }

  updateAccount<P extends ProviderSlug>(provider: P, accountId: string, changes: AccountChanges<P>): Promise<AccountRecord<P>> {
    return this.call('PATCH', accountsPath(provider, accountId), changes);
  }

  deleteAccount(provider: ProviderSlug, accountId: string): Promise<void> {
    return this.call('DELETE', accountsPath(provider, accountId));
  }

  listUsers<P extends ProviderWithUsers>(provider: P, accountId: string, page = 1, per = 100): Promise<Listing<UserRecord<P>>> {
    return this.call('GET', `${accountsPath(provider, accountId)}/users${query({ page, per })}`);
  }

  getUser<P extends ProviderWithUsers>(provider: P, accountId: string, userId: string): Promise<UserRecord<P>> {
    return this.call('GET', usersPath(provider, accountId, userId));
  }

  createUser<P extends ProviderWithUsers>(provider: P, accountId: string, fields?: UserFields<P>): Promise<UserRecord<P>> {
    return this.call('POST', `${accountsPath(provider, accountId)}/users`, fields ?? {});
  }

  /** Adds `count` generated users; answers how many the account then holds. */
  async generateUsers(provider: ProviderWithUsers, accountId: string, count: number): Promise<number> {
    return (await this.call<Static<typeof GeneratedSchema>>('POST', `${accountsPath(provider, accountId)}/users/generate`, { count })).total;
  }

  updateUser<P extends ProviderWithUsers>(provider: P, accountId: string, userId: string, changes: UserChanges<P>): Promise<UserRecord<P>> {
    return this.call('PATCH', usersPath(provider, accountId, userId), changes);
  }

  deleteUser(provider: ProviderWithUsers, accountId: string, userId: string): Promise<void> {
    return this.call('DELETE', usersPath(provider, accountId, userId));
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: { [name: string]: string } = {};
    if (this.adminToken) headers.authorization = `Bearer ${this.adminToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (!response.ok) throw new ControlError(response.status, parsed);
    return parsed as T;
  }
}

function accountsPath(provider: ProviderSlug, accountId?: string): string {
  const base = `/__mock/${encodeURIComponent(provider)}/accounts`;
  return accountId === undefined ? base : `${base}/${encodeURIComponent(accountId)}`;
}

function usersPath(provider: ProviderSlug, accountId: string, userId: string): string {
  return `${accountsPath(provider, accountId)}/users/${encodeURIComponent(userId)}`;
}

/** The most entries one read of the journal answers. */
const LARGEST_PAGE = 1000;

/** How many of the journal's last requests a failed `expectRequests` searches for near misses, and how many it shows. */
const SEARCHED_REQUESTS = 100;
const SHOWN_REQUESTS = 10;

/** The filter as the count route takes it: `query.<name>` and `header.<name>` parameters. */
function countQuery(filter: RequestFilter): string {
  const { query: parameters, headers, ...fields } = filter;
  const flat: { [name: string]: string | number | undefined } = { ...fields };
  for (const [name, value] of Object.entries(parameters ?? {})) flat[`query.${name}`] = value;
  for (const [name, value] of Object.entries(headers ?? {})) flat[`header.${name.toLowerCase()}`] = value;
  return query(flat);
}

/** The filter as a message shows it: a credential as its identity, never the secret. */
function shownFilter(filter: RequestFilter): string {
  const shown = filter.credential === undefined ? filter : { ...filter, credential: asCredentialIdentity(filter.credential) };
  return JSON.stringify(shown);
}

/** Each condition of a filter: the column a table shows it in, and whether an entry meets it. */
function conditionsOf(filter: RequestFilter): { column: string; shown: (entry: JournalEntry) => string; met: (entry: JournalEntry) => boolean }[] {
  const text = (value: unknown) => (value === undefined || value === null ? '-' : Array.isArray(value) ? value.join(',') : String(value));
  const conditions = [];
  const { query: parameters = {}, headers = {}, credential, ...fields } = filter;
  for (const [name, wanted] of Object.entries(fields)) {
    if (wanted === undefined) continue;
    const field = name as 'provider' | 'path' | 'method' | 'status';
    const prefix = name === 'path' && typeof wanted === 'string' && wanted.endsWith('*') ? wanted.slice(0, -1) : undefined;
    conditions.push({
      column: name,
      shown: (entry: JournalEntry) => text(entry[field]),
      met: (entry: JournalEntry) => (prefix !== undefined ? entry.path.startsWith(prefix) : String(entry[field]) === String(wanted)),
    });
  }
  if (credential !== undefined) {
    const identity = asCredentialIdentity(credential);
    conditions.push({ column: 'credential', shown: (entry: JournalEntry) => entry.credential ?? '-', met: (entry: JournalEntry) => entry.credential === identity });
  }
  const kept = (record: Record<string, unknown>, name: string) => (Object.hasOwn(record, name) ? record[name] : undefined);
  for (const [name, wanted] of Object.entries(parameters)) {
    conditions.push({ column: `query.${name}`, shown: (entry: JournalEntry) => text(kept(entry.query, name)), met: (entry: JournalEntry) => [kept(entry.query, name)].flat().map(String).includes(String(wanted)) });
  }
  for (const [name, wanted] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    conditions.push({ column: `header.${lower}`, shown: (entry: JournalEntry) => text(kept(entry.headers, lower)), met: (entry: JournalEntry) => [kept(entry.headers, lower)].flat().map(String).includes(String(wanted)) });
  }
  return conditions;
}

/**
 * `expected 2 requests matching {…}, received 3`, then a table of the journal's requests nearest to
 * the filter (those meeting most of its conditions, of the last ones), with a column for each field
 * the filter names beside method, path, status and credential.
 */
export function describeMismatch(filter: RequestFilter, expected: number, received: number, page: JournalPage): string {
  const plural = (n: number) => `${n} request${n === 1 ? '' : 's'}`;
  const lines = [`expected ${plural(expected)} matching ${shownFilter(filter)}, received ${received}`];
  if (page.requests.length === 0) {
    lines.push('the journal is empty');
    return lines.join('\n');
  }
  const conditions = conditionsOf(filter);
  const scored = page.requests.map((entry, index) => ({ entry, index, met: conditions.filter((condition) => condition.met(entry)).length }));
  const nearest = [...scored].sort((a, b) => b.met - a.met || b.index - a.index).slice(0, SHOWN_REQUESTS).sort((a, b) => a.index - b.index);
  const best = nearest.reduce((most, row) => Math.max(most, row.met), 0);
  lines.push(
    `the ${plural(nearest.length)} nearest to it of the last ${page.requests.length} of ${page.total} in the journal (meeting ${best} of its ${conditions.length} conditions at most), oldest first:`,
  );
  const extra = conditions.filter((condition) => !['method', 'path', 'status', 'credential'].includes(condition.column));
  const rows = [
    ['method', 'path', 'status', 'credential', ...extra.map((condition) => condition.column), 'met'],
    ...nearest.map(({ entry, met }) => [
      entry.method,
      entry.path,
      String(entry.status),
      entry.credential ?? '-',
      ...extra.map((condition) => condition.shown(entry)),
      `${met}/${conditions.length}`,
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  for (const row of rows) lines.push(`  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()}`);
  return lines.join('\n');
}

function query(params: { [name: string]: string | number | undefined }): string {
  const defined = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return defined.length === 0 ? '' : `?${new URLSearchParams(defined.map(([key, value]): [string, string] => [key, String(value)]))}`;
}
