import type { GeneratedRecords } from './generated-records.js';

/**
 * Records by key, in the order a Map would keep them: the fixtures, then the generated records, then
 * those added later. A generated record is found from its key alone (`indexOfKey` reads the index
 * back from it), so the generated ones need no map. Changing a record keeps its place; deleting one
 * and adding its key again puts it at the end.
 */
export class KeyedRecords<T> {
  private readonly fixed = new Map<string, T>();
  private readonly added = new Map<string, T>();
  private changes = 0;

  constructor(
    fixtures: readonly T[],
    readonly generated: GeneratedRecords<T>,
    private readonly keyOf: (record: T) => string,
    /** The index of the generated record that may hold this key; undefined when none can. */
    private readonly indexOfKey: (key: string) => number | undefined,
  ) {
    for (const record of fixtures) this.fixed.set(keyOf(record), record);
  }

  get size(): number {
    return this.fixed.size + this.generated.size + this.added.size;
  }

  /** Grows at every change: what is derived from the records (a serialized list) holds while it stands. */
  get version(): number {
    return this.changes + this.generated.version;
  }

  private generatedIndex(key: string): number | undefined {
    const index = this.indexOfKey(key);
    if (index === undefined || !this.generated.has(index)) return undefined;
    return this.keyOf(this.generated.original(index)) === key ? index : undefined;
  }

  get(key: string): T | undefined {
    // a key is held by one part at most (add refuses a key held anywhere), so the order of the
    // look-ups is free: the maps first, the generated records (which read the key) last
    const found = this.fixed.get(key) ?? this.added.get(key);
    if (found !== undefined) return found;
    const index = this.generatedIndex(key);
    return index !== undefined ? this.generated.get(index) : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds a record at the end; false when its key is taken. */
  add(record: T): boolean {
    const key = this.keyOf(record);
    if (this.has(key)) return false;
    this.added.set(key, record);
    this.changes++;
    return true;
  }

  /** Replaces the record of this key, in its place; false when there is none. */
  replace(key: string, record: T): boolean {
    if (this.fixed.has(key)) {
      this.fixed.set(key, record);
      this.changes++;
      return true;
    }
    const index = this.generatedIndex(key);
    if (index !== undefined) return this.generated.set(index, record);
    if (!this.added.has(key)) return false;
    this.added.set(key, record);
    this.changes++;
    return true;
  }

  delete(key: string): boolean {
    const index = this.fixed.has(key) ? undefined : this.generatedIndex(key);
    if (index !== undefined) return this.generated.delete(index);
    const deleted = this.fixed.delete(key) || this.added.delete(key);
    if (deleted) this.changes++;
    return deleted;
  }

  /** Records from the `start`-th (from 0), at most `limit` of them, in order. */
  slice(start: number, limit: number): T[] {
    const out: T[] = [];
    let skip = Math.max(0, start);
    let wanted = Math.max(0, Math.min(limit, this.size - skip));
    const fromMap = (map: Map<string, T>) => {
      if (skip >= map.size) {
        skip -= map.size;
        return;
      }
      for (const record of map.values()) {
        if (wanted === 0) return;
        if (skip > 0) skip--;
        else {
          out.push(record);
          wanted--;
        }
      }
    };
    fromMap(this.fixed);
    if (wanted > 0) {
      if (skip >= this.generated.size) skip -= this.generated.size;
      else {
        const part = this.generated.slice(skip, wanted);
        out.push(...part);
        wanted -= part.length;
        skip = 0;
      }
    }
    if (wanted > 0) fromMap(this.added);
    return out;
  }

  values(): T[] {
    return this.slice(0, this.size);
  }

  keys(): string[] {
    return this.values().map(this.keyOf);
  }
}
