/** Sets of whole numbers below a bound, as bits in 32-bit words: a million members in 125 KB. */

export function bitsetWords(size: number): number {
  return Math.ceil(size / 32);
}

export function setBit(words: Uint32Array, index: number): void {
  words[index >>> 5]! |= 1 << (index & 31);
}

export function clearBit(words: Uint32Array, index: number): void {
  words[index >>> 5]! &= ~(1 << (index & 31));
}

export function hasBit(words: Uint32Array, index: number): boolean {
  return (words[index >>> 5]! & (1 << (index & 31))) !== 0;
}

export function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Set bits of every 16-bit number (made at first use): two look-ups count a word, faster than arithmetic in a long loop. */
let halfWordCounts: Uint8Array | undefined;

export function countBits(words: Uint32Array): number {
  const HALF_WORD_COUNTS = (halfWordCounts ??= Uint8Array.from({ length: 1 << 16 }, (_, i) => bitCount(i)));
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word !== 0) total += HALF_WORD_COUNTS[word & 0xffff]! + HALF_WORD_COUNTS[word >>> 16]!;
  }
  return total;
}

/**
 * Up to `limit` members in ascending order, skipping the first `skip`: one page of the set.
 */
export function membersFrom(words: Uint32Array, skip: number, limit: number): number[] {
  const out: number[] = [];
  let toSkip = skip;
  for (let w = 0; w < words.length && out.length < limit; w++) {
    let word = words[w]!;
    if (word === 0) continue;
    if (toSkip > 0) {
      const count = bitCount(word);
      if (count <= toSkip) {
        toSkip -= count;
        continue;
      }
    }
    while (word !== 0 && out.length < limit) {
      const bit = 31 - Math.clz32(word & -word);
      word &= word - 1;
      if (toSkip > 0) toSkip--;
      else out.push(w * 32 + bit);
    }
  }
  return out;
}

/** Every member, ascending, into a new array of exactly that length. */
export function members(words: Uint32Array, count = countBits(words)): Int32Array {
  const out = new Int32Array(count);
  let at = 0;
  for (let w = 0; w < words.length && at < count; w++) {
    let word = words[w]!;
    while (word !== 0) {
      out[at++] = w * 32 + (31 - Math.clz32(word & -word));
      word &= word - 1;
    }
  }
  return out;
}
