/** Murmur3's finaliser: a bijection on 32-bit words that spreads every input bit over the output. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a text. */
function hashText(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** One number per seed and scope ('datonis', 'plaspy/admin'): the root of every draw in that scope. */
export function scopeKey(seed: number, scope: string): number {
  return mix32(mix32(seed) ^ hashText(scope));
}

/** Streams per record: a record may draw each of its parts from its own stream. */
const STREAMS_PER_RECORD = 64;

/**
 * Random draws for one generated record, a pure function of (scope key, record index, stream): any
 * record, or any one part of every record, can be drawn without drawing the ones before it. The
 * generator is mulberry32, started from a distinct state for each (index, stream) below 2^26 × 64.
 */
export class Draws {
  private state = 0;

  constructor(private readonly key: number) {}

  /** Draws that continue one sequence from `seed`, as seededRandom's. */
  static sequence(seed: number): Draws {
    const draws = new Draws(0);
    draws.state = seed | 0;
    return draws;
  }

  /** Starts over at the beginning of one record's stream. */
  at(index: number, stream = 0): this {
    this.state = mix32(this.key ^ mix32(index * STREAMS_PER_RECORD + stream));
    return this;
  }

  /** A whole number in [0, 2^32). */
  uint32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A number in [0, 1) with 53 random bits. */
  float(): number {
    return (this.uint32() * 2 ** 21 + (this.uint32() >>> 11)) / 2 ** 53;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return n <= 2 ** 32 ? Math.floor((this.uint32() / 2 ** 32) * n) : Math.floor(this.float() * n);
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  chars(alphabet: string, length: number): string {
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[this.below(alphabet.length)];
    return text;
  }
}

/** Numbers in [0, 1) from one seed, the same sequence on every machine (fault probabilities). */
export function seededRandom(seed: number): () => number {
  const draws = Draws.sequence(seed);
  return () => draws.uint32() / 2 ** 32;
}
