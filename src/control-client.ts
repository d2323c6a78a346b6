import type { ClockAnswer, ClockChangeRequest } from './control/clock.js';
import type { DemoCredential } from './provider.js';
import type { Fault, FaultSpec } from './state/faults.js';
import type { JournalEntry, JournalFilter } from './state/journal.js';

export interface ProviderAccounts {
  provider: string;
  title: string;
  accounts: number | null;
  credentials: DemoCredential[];
}

export interface Listing<T> {
  total: number;
  page: number;
  per: number;
  items: T[];
}

export interface JournalPage {
  capacity: number;
  total: number;
  requests: JournalEntry[];
}

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

type Fields = { [field: string]: unknown };

/** Typed calls to a running mock's control plane (`/__mock/`). */
export class ControlClient {
  constructor(
    readonly baseUrl: string,
    private readonly adminToken?: string,
  ) {}

  health(): Promise<{ status: string }> {
    return this.call('GET', '/__mock/health');
  }

  /** Back to the seeded state: data, counters, rate-limit windows, faults and journal. */
  reset(): Promise<{ status: 'reset' }> {
    return this.call('POST', '/__mock/reset');
  }

  /** Every provider's demo credentials and account counts. */
  async accounts(): Promise<ProviderAccounts[]> {
    return (await this.call<{ providers: ProviderAccounts[] }>('GET', '/__mock/accounts')).providers;
  }

  /** The mock's time: `{ now, offsetMs, frozen }`. */
  clock(): Promise<ClockAnswer> {
    return this.call('GET', '/__mock/clock');
  }

  /** Moves the mock's time: `{ set }` an ISO 8601 instant, then `{ advanceMs }`, then `{ freeze }`; any of them together. */
  moveClock(change: ClockChangeRequest): Promise<ClockAnswer> {
    return this.call('POST', '/__mock/clock', change);
  }

  addFault(spec: FaultSpec): Promise<Fault> {
    return this.call('POST', '/__mock/faults', spec);
  }

  faults(provider?: string): Promise<Fault[]> {
    return this.call('GET', `/__mock/faults${query({ provider })}`);
  }

  clearFaults(provider?: string): Promise<{ cleared: number }> {
    return this.call('DELETE', `/__mock/faults${query({ provider })}`);
  }

  removeFault(id: string): Promise<void> {
    return this.call('DELETE', `/__mock/faults/${encodeURIComponent(id)}`);
  }

  /** The requests the providers received, oldest first. */
  async requests(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    return (await this.call<JournalPage>('GET', `/__mock/requests${query({ ...filter })}`)).requests;
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', '/__mock/requests');
  }

  listAccounts<T = Fields>(provider: string, page = 1, per = 100): Promise<Listing<T>> {
    return this.call('GET', `${accountsPath(provider)}${query({ page, per })}`);
  }

  getAccount<T = Fields>(provider: string, accountId: string): Promise<T> {
    return this.call('GET', accountsPath(provider, accountId));
  }

  createAccount<T = Fields>(provider: string, fields: Fields = {}): Promise<T> {
    return this.call('POST', accountsPath(provider), fields);
  }

  updateAccount<T = Fields>(provider: string, accountId: string, changes: Fields): Promise<T> {
    return this.call('PATCH', accountsPath(provider, accountId), changes);
  }

  deleteAccount(provider: string, accountId: string): Promise<void> {
    return this.call('DELETE', accountsPath(provider, accountId));
  }

  listUsers<T = Fields>(provider: string, accountId: string, page = 1, per = 100): Promise<Listing<T>> {
    return this.call('GET', `${accountsPath(provider, accountId)}/users${query({ page, per })}`);
  }

  createUser<T = Fields>(provider: string, accountId: string, fields: Fields = {}): Promise<T> {
    return this.call('POST', `${accountsPath(provider, accountId)}/users`, fields);
  }

  /** Adds `count` generated users; answers how many the account then holds. */
  async generateUsers(provider: string, accountId: string, count: number): Promise<number> {
    return (await this.call<{ total: number }>('POST', `${accountsPath(provider, accountId)}/users/generate`, { count })).total;
  }

  updateUser<T = Fields>(provider: string, accountId: string, userId: string, changes: Fields): Promise<T> {
    return this.call('PATCH', `${accountsPath(provider, accountId)}/users/${encodeURIComponent(userId)}`, changes);
  }

  deleteUser(provider: string, accountId: string, userId: string): Promise<void> {
    return this.call('DELETE', `${accountsPath(provider, accountId)}/users/${encodeURIComponent(userId)}`);
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

function accountsPath(provider: string, accountId?: string): string {
  const base = `/__mock/${encodeURIComponent(provider)}/accounts`;
  return accountId === undefined ? base : `${base}/${encodeURIComponent(accountId)}`;
}

function query(params: { [name: string]: string | number | undefined }): string {
  const defined = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return defined.length === 0 ? '' : `?${new URLSearchParams(defined.map(([key, value]): [string, string] => [key, String(value)]))}`;
}
