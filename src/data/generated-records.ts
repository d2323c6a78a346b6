import { LRUCache } from 'lru-cache';

/** Records built recently and kept, so that a record read again is not built again. */
const DEFAULT_CACHE_SIZE = 4096;

/**
 * `count` generated records, record `i` a pure function of `i`, built when first read: a million of
 * them cost nothing until used. Changes and deletions (through the control plane) are kept beside
 * them, by index; a changed record keeps its place. Iteration is in index order.
 */
export class GeneratedRecords<T> {
  private readonly changed = new Map<number, T>();
  /** Deleted indexes, ascending. */
  private readonly deleted: number[] = [];
  private readonly deletedSet = new Set<number>();
  private readonly built: LRUCache<number, T & {}>;
  /** Grows at every change or deletion: what is derived from the records may be kept while it stands. */
  version = 0;

  /** No generated records at all. */
  static none<T>(): GeneratedRecords<T> {
    return new GeneratedRecords<T>(0, () => {
      throw new Error('no generated records');
    });
  }

  constructor(
    readonly count: number,
    private readonly build: (index: number) => T & {},
    cacheSize = DEFAULT_CACHE_SIZE,
  ) {
    this.built = new LRUCache({ max: cacheSize });
  }

  /** Records present: the generated ones less the deleted ones. */
  get size(): number {
    return this.count - this.deleted.length;
  }

  has(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.count && !this.deletedSet.has(index);
  }

  /** The record as generated, whatever became of it since. */
  original(index: number): T {
    let record = this.built.get(index);
    if (record === undefined) {
      record = this.build(index);
      this.built.set(index, record);
    }
    return record;
  }

  get(index: number): T | undefined {
    if (!this.has(index)) return undefined;
    return this.changed.get(index) ?? this.original(index);
  }

  /** Replaces a present record, in its place. */
  set(index: number, record: T): boolean {
    if (!this.has(index)) return false;
    this.changed.set(index, record);
    this.version++;
    return true;
  }

  delete(index: number): boolean {
    if (!this.has(index)) return false;
    this.changed.delete(index);
    this.deletedSet.add(index);
    const at = this.deletedBefore(index);
    this.deleted.splice(at, 0, index);
    this.version++;
    return true;
  }

  /** How many deleted indexes are below `index`. */
  private deletedBefore(index: number): number {
    let low = 0;
    let high = this.deleted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.deleted[middle]! < index) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The index of the `k`-th present record (from 0), in index order. */
  nth(k: number): number {
    let index = k;
    for (const gone of this.deleted) {
      if (gone <= index) index++;
      else break;
    }
    return index;
  }

  /** The indexes of changed records, ascending. */
  changedIndexes(): number[] {
    return [...this.changed.keys()].sort((a, b) => a - b);
  }

  /** The indexes of deleted records, ascending. */
  deletedIndexes(): readonly number[] {
    return this.deleted;
  }

  /** Present records from the `start`-th, at most `limit` of them, in index order. */
  slice(start: number, limit: number): T[] {
    const out: T[] = [];
    if (limit <= 0 || start >= this.size) return out;
    let index = this.nth(start);
    while (out.length < limit && index < this.count) {
      if (!this.deletedSet.has(index)) out.push(this.get(index)!);
      index++;
    }
    return out;
  }

  /** Every present record, in index order: for small collections and tests. */
  all(): T[] {
    return this.slice(0, this.size);
  }
}
