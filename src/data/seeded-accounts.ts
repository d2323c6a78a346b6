import { GeneratedRecords } from './generated-records.js';
import { SeededGenerator } from './generator.js';
import type { IndexCodec } from './index-codec.js';
import { KeyedRecords } from './keyed-records.js';

/** How a provider's seeded accounts are drawn and keyed by their credential. */
export interface SeededAccountKind<T> {
  /** The generator's scope: the provider's slug, so that its data never reshuffles another's. */
  scope: string;
  /** The credential's alphabet and length; its last `codeLength` characters code the account's index. */
  alphabet: string;
  keyLength: number;
  codeLength: number;
  /** The codec's own name for the credential (`token`, `key`): part of what its coding is drawn from. */
  keyName: string;
  keyOf(account: T): string;
  /** Account `index`, drawn from `generator`; `credential()` draws its credential where the account's order of draws has it. */
  draw(generator: SeededGenerator, index: number, credential: () => string): T;
}

/**
 * Accounts as the seed gives them: account `index` depends on (seed, index) alone, whether it is one
 * of the accounts generated at start-up or one the control plane fills in. Its credential ends with
 * the index coded, so that a credential finds its account without a map of all credentials.
 */
export class SeededAccounts<T extends object> {
  private readonly generator: SeededGenerator;
  private readonly codec: IndexCodec;

  constructor(
    private readonly kind: SeededAccountKind<T>,
    seed: number,
  ) {
    this.generator = new SeededGenerator(seed, kind.scope);
    this.codec = this.generator.indexCodec(kind.alphabet, kind.codeLength, kind.keyName);
  }

  at(index: number): T {
    const { keyLength, codeLength, alphabet } = this.kind;
    const generator = this.generator.at(index);
    return this.kind.draw(generator, index, () => generator.token(keyLength - codeLength, alphabet) + this.codec.encode(index));
  }

  /** The index of the account this credential may be; undefined when no seeded account can have it. */
  indexOf(key: string): number | undefined {
    const { keyLength, codeLength } = this.kind;
    return key.length === keyLength ? this.codec.decode(key.slice(keyLength - codeLength)) : undefined;
  }

  /** The documented and recorded accounts, then `count` seeded ones, built when first read. */
  stored(fixed: readonly T[], count: number): KeyedRecords<T> {
    return new KeyedRecords(
      fixed,
      new GeneratedRecords(count, (index) => this.at(index)),
      (account) => this.kind.keyOf(account),
      (key) => this.indexOf(key),
    );
  }
}

/**
 * Where the control plane's next record comes from: the seed's record at the index after the
 * generated ones, then the next, so that generating n more at start-up would have given the same
 * records (the same seed gives the same bytes, whichever path made them).
 */
export class SeededFill {
  constructor(private index: number) {}

  next<T>(at: (index: number) => T): T {
    return at(this.index++);
  }
}
