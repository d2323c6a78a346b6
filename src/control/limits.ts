import { MockHttpError } from '../http/http-error.js';
import type { BudgetSpend, BudgetState } from '../state/state.js';

/** Bounds on what the control plane adds, so that a runaway test can neither exhaust memory nor stall the server. */
export interface ControlLimits {
  /** Records, accounts and users together, it may add to one provider between two resets: as many as `--users` may generate. */
  recordsPerProvider: number;
  /** Users one generate call may add: the server answers nothing else while it generates them. */
  generateAtOnce: number;
  /**
   * Users it may add to one account between two resets. Users added so are read without the
   * indexes `--users` builds: at 20,000 a Datonis page ordered by email takes about 90 ms, at
   * 1,000,000 it took 7.7 s, during which the server answered nothing else.
   */
  usersPerAccount: number;
  /** Faults in force at once: each provider request reads them in turn. */
  faults: number;
  /** Bytes of one fault as JSON (its message, headers and sequence): a sequence of 1,000 short steps takes about 20 KB. */
  faultBytes: number;
  /** Bytes of all the faults in force together, as JSON: `GET /__mock/faults` answers them all at once. */
  faultsBytes: number;
  /** Bytes of one field of a record the control plane creates or changes, as JSON. */
  fieldBytes: number;
  /**
   * Bytes of fields the control plane may write into one account (its own fields and its users'),
   * as sent, between resets: a provider's list answers every user of an account at once, and
   * 530 users with a 1 MB description made it fail.
   */
  accountBytes: number;
  /**
   * Bytes of fields the control plane may write into one provider's records in all, between
   * resets: without it, a client creating account after account with fields at their bound could
   * fill the server's memory (a million accounts of 8 MB each).
   */
  providerBytes: number;
}

export const DEFAULT_LIMITS: ControlLimits = {
  recordsPerProvider: 1_000_000,
  generateAtOnce: 100_000,
  usersPerAccount: 20_000,
  faults: 1_000,
  faultBytes: 64 * 1024,
  faultsBytes: 4 * 1024 * 1024,
  fieldBytes: 16 * 1024,
  accountBytes: 8 * 1024 * 1024,
  providerBytes: 64 * 1024 * 1024,
};

/**
 * What each provider may still receive through the control plane; full again after a reset. Kept
 * here in memory, or in the shared state when there is one, so that the limits hold for a group of
 * replicas and a reset through one fills them for all.
 */
export class CreationBudget {
  private added = new Map<string, number>();
  /** Users added to each account, by provider slug and account id. */
  private addedTo = new Map<string, number>();
  /** Bytes of fields written into each account, by provider slug and account id. */
  private writtenTo = new Map<string, number>();
  /** Bytes of fields written into each provider's records, by provider slug. */
  private writtenBy = new Map<string, number>();

  constructor(
    readonly limits: ControlLimits,
    private readonly shared?: BudgetState,
  ) {}

  /**
   * Runs `addition` of `count` records to the provider (users of `account`, when given) within
   * the limits: a 422 when it would pass one, nothing spent when it adds nothing (answers
   * undefined, or throws).
   */
  async add<T>(slug: string, title: string, count: number, account: string | undefined, addition: () => Promise<T>): Promise<T> {
    if (this.shared) return this.addShared(slug, title, count, account, addition);
    this.check(slug, title, count);
    if (account !== undefined) this.checkAccount(slug, title, account, count);
    const added = await addition();
    if (added !== undefined) this.spend(slug, count, account);
    return added;
  }

  private async addShared<T>(slug: string, title: string, count: number, account: string | undefined, addition: () => Promise<T>): Promise<T> {
    const spends: BudgetSpend[] = [{ key: `records:${slug}`, count, limit: this.limits.recordsPerProvider }];
    if (account !== undefined) spends.push({ key: `users:${slug}:${account}`, count, limit: this.limits.usersPerAccount });
    const refused = await this.shared!.spend(spends);
    if (refused) throw refused.key.startsWith('records:') ? this.providerFull(title, refused.spent) : this.accountFull(title, account!, refused.spent);
    let added: T | undefined;
    try {
      added = await addition();
      return added;
    } finally {
      if (added === undefined) await this.shared!.refund(spends);
    }
  }

  /** Throws a 422 when adding `count` records to the provider would pass its limit. */
  check(slug: string, title: string, count: number): void {
    const added = this.added.get(slug) ?? 0;
    if (added + count > this.limits.recordsPerProvider) throw this.providerFull(title, added);
  }

  /** Throws a 422 when adding `count` users to the account would pass its limit. */
  checkAccount(slug: string, title: string, account: string, count: number): void {
    const added = this.addedTo.get(`${slug}\u0000${account}`) ?? 0;
    if (added + count > this.limits.usersPerAccount) throw this.accountFull(title, account, added);
  }

  private providerFull(title: string, added: number): MockHttpError {
    return new MockHttpError(
      422,
      `The control plane adds at most ${this.limits.recordsPerProvider} records (accounts and users) to ${title} between resets, and has added ${added}; POST /__mock/reset starts again`,
    );
  }

  private accountFull(title: string, account: string, added: number): MockHttpError {
    return new MockHttpError(
      422,
      `The control plane adds at most ${this.limits.usersPerAccount} users to one ${title} account between resets, and has added ${added} to '${account}'; --users generates more, indexed; POST /__mock/reset starts again`,
    );
  }

  /**
   * Runs `write` of `input`'s fields into `account` (the account it creates when undefined, named
   * by `writtenInto`) within the bounds: a 422 naming the first field larger than a stored field
   * may be, or when the account's bytes would pass their limit; the bytes are spent once `write`
   * answers something. Shared, the account's bytes are spent where every replica spends them.
   */
  async writeFields<T>(
    slug: string,
    title: string,
    account: string | undefined,
    input: Record<string, unknown>,
    write: () => Promise<T>,
    writtenInto: (written: T) => string = () => account ?? '',
  ): Promise<T> {
    let bytes = 0;
    for (const [field, value] of Object.entries(input)) {
      const size = value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
      if (size > this.limits.fieldBytes) {
        throw new MockHttpError(422, `Field '${field}' takes ${size} bytes as JSON; a stored field takes at most ${this.limits.fieldBytes}`);
      }
      bytes += size;
    }
    if (!this.shared) {
      const written = account === undefined ? 0 : (this.writtenTo.get(`${slug}\u0000${account}`) ?? 0);
      if (written + bytes > this.limits.accountBytes) throw this.accountWritten(title, account, written);
      const byProvider = this.writtenBy.get(slug) ?? 0;
      if (byProvider + bytes > this.limits.providerBytes) throw this.providerWritten(title, byProvider);
      const answer = await write();
      if (answer !== undefined) {
        const key = `${slug}\u0000${writtenInto(answer)}`;
        this.writtenTo.set(key, (this.writtenTo.get(key) ?? 0) + bytes);
        this.writtenBy.set(slug, byProvider + bytes);
      }
      return answer;
    }
    const intoProvider: BudgetSpend = { key: `bytes:${slug}`, count: bytes, limit: this.limits.providerBytes };
    const intoAccount = (into: string): BudgetSpend => ({ key: `bytes:${slug}:${into}`, count: bytes, limit: this.limits.accountBytes });
    // a new account's first bytes are spent once it exists, within the bound a stored field keeps them to
    const spends = account === undefined ? [intoProvider] : [intoProvider, intoAccount(account)];
    const refused = await this.shared.spend(spends);
    if (refused) throw refused.key === intoProvider.key ? this.providerWritten(title, refused.spent) : this.accountWritten(title, account, refused.spent);
    let answer: T | undefined;
    try {
      answer = await write();
      if (answer !== undefined && account === undefined) await this.shared.spend([intoAccount(writtenInto(answer))]);
      return answer;
    } finally {
      if (answer === undefined) await this.shared.refund(spends);
    }
  }

  private providerWritten(title: string, written: number): MockHttpError {
    return new MockHttpError(
      422,
      `The control plane writes at most ${this.limits.providerBytes} bytes of fields into ${title}'s records between resets, and has written ${written}; POST /__mock/reset starts again`,
    );
  }

  private accountWritten(title: string, account: string | undefined, written: number): MockHttpError {
    return new MockHttpError(
      422,
      `The control plane writes at most ${this.limits.accountBytes} bytes of fields into one ${title} account between resets, and has written ${written} into '${account}'; POST /__mock/reset starts again`,
    );
  }

  spend(slug: string, count: number, account?: string): void {
    this.added.set(slug, (this.added.get(slug) ?? 0) + count);
    if (account !== undefined) this.addedTo.set(`${slug}\u0000${account}`, (this.addedTo.get(`${slug}\u0000${account}`) ?? 0) + count);
  }

  reset(): void {
    this.added.clear();
    this.addedTo.clear();
    this.writtenTo.clear();
    this.writtenBy.clear();
  }
}
