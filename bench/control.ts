import type { Context } from './endpoints.js';

/** The mock's control plane, as the bench uses it: to find credentials and to read counters. */
export class Control {
  constructor(readonly base: string) {}

  async get<T>(path: string): Promise<T> {
    const response = await fetch(this.base + path);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const response = await fetch(this.base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async listing<T>(path: string, page: number, per: number): Promise<{ total: number; items: T[] }> {
    return this.get(`${path}?page=${page}&per=${per}`);
  }

  /** Items spread evenly over a listing of `total` (the first and the last included), at most `count`. */
  async spread<T>(path: string, count: number): Promise<T[]> {
    const { total } = await this.listing<T>(path, 1, 1);
    const picks = new Set<number>();
    for (let i = 0; i < Math.min(count, total); i++) {
      picks.add(1 + Math.round((i * (total - 1)) / Math.max(1, Math.min(count, total) - 1)));
    }
    const items: T[] = [];
    for (const page of picks) items.push(...(await this.listing<T>(path, page, 1)).items);
    return items;
  }

  /** Creates `count` Fingerbank accounts, ten at a time; answers their keys. */
  async createFingerbankKeys(count: number): Promise<string[]> {
    const keys: string[] = [];
    for (let i = 0; i < count; i += 10) {
      const batch = Math.min(10, count - i);
      const created = await Promise.all(
        Array.from({ length: batch }, () => this.post<{ key: string }>('/__mock/fingerbank/accounts', {})),
      );
      keys.push(...created.map((account) => account.key));
    }
    return keys;
  }

  /** The id of the last request the journal recorded: it grows by one per request, whatever the capacity. */
  async journalId(): Promise<number> {
    const journal = await this.get<{ requests: { id: number }[] }>('/__mock/requests?limit=1');
    return journal.requests[0]?.id ?? 0;
  }

  async plaspyUsage(token: string): Promise<number> {
    return (await this.get<{ apiUsage: number }>(`/__mock/plaspy/accounts/${token}`)).apiUsage;
  }

  /** `requests` of each of these Fingerbank accounts, read from the end of the listing, where created ones are. */
  async fingerbankRequests(keys: readonly string[]): Promise<Map<string, number>> {
    const wanted = new Set(keys);
    const found = new Map<string, number>();
    const per = 1000;
    const { total } = await this.listing('/__mock/fingerbank/accounts', 1, 1);
    for (let page = Math.ceil(total / per); page >= 1 && found.size < wanted.size; page--) {
      const { items } = await this.listing<{ key: string; requests: number }>('/__mock/fingerbank/accounts', page, per);
      for (const account of items) if (wanted.has(account.key)) found.set(account.key, account.requests);
    }
    return found;
  }

  /** Credentials for every endpoint, as the running mock holds them. */
  async discover(users: number, fingerbankKeys: number): Promise<Context> {
    const datafiniti = await this.spread<{ token: string }>('/__mock/datafiniti/accounts', 10);
    const plaspyAccounts = await this.listing<{ token: string; user_count: number }>('/__mock/plaspy/accounts', 1, 100);
    const plaspy = [...plaspyAccounts.items].sort((a, b) => b.user_count - a.user_count)[0];
    if (!plaspy) throw new Error('no Plaspy account');
    const plaspyUsers = await this.spread<{ id: string }>(`/__mock/plaspy/accounts/${plaspy.token}/users`, 20);
    const datonisAccounts = await this.listing<{ tokens: string[]; user_count: number }>('/__mock/datonis/accounts', 1, 100);
    const datonis = [...datonisAccounts.items].sort((a, b) => b.user_count - a.user_count)[0];
    if (!datonis?.tokens[0]) throw new Error('no Datonis organisation');
    const lastPage = Math.max(1, Math.ceil(datonis.user_count / 20));
    const pages = [...new Set([1, 2, Math.ceil(lastPage / 3), Math.ceil(lastPage / 2), lastPage - 1, lastPage])].filter(
      (page) => page >= 1,
    );
    const [limited, ...keys] = await this.createFingerbankKeys(fingerbankKeys + 1);
    return {
      users,
      datafinitiTokens: datafiniti.map((account) => account.token),
      fingerbankKeys: keys,
      fingerbankLimitedKey: limited ?? '',
      plaspyToken: plaspy.token,
      plaspyIds: plaspyUsers.map((user) => user.id),
      datonisToken: datonis.tokens[0],
      datonisPages: pages,
    };
  }
}
