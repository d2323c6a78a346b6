/** Sets of whole numbers below a bound, as bits in 32-bit words: a million members in 125 KB. */

export function bitsetWords(size: number): number {
  return Math.ceil(size / 32);
}

export function setBit(words: Uint32Array, index: number): void {
  words[index >>> 5]! |= 1 << (index & 31);
}

function clearBit(words: Uint32Array, index: number): void {
  words[index >>> 5]! &= ~(1 << (index & 31));
}

/** Puts `index` in the set or takes it out; answers how the member count changed (-1, 0 or 1). */
export function assignBit(words: Uint32Array, index: number, member: boolean): number {
  if (hasBit(words, index) === member) return 0;
  if (member) setBit(words, index);
  else clearBit(words, index);
  return member ? 1 : -1;
}

export function hasBit(words: Uint32Array, index: number): boolean {
  return (words[index >>> 5]! & (1 << (index & 31))) !== 0;
}

function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Set bits of every 16-bit number: two look-ups count a word, faster than arithmetic in a long loop.
 * Made at load (a few milliseconds) rather than at first use: the counting loops run faster over a constant.
 */
const HALF_WORD_COUNTS = new Uint8Array(1 << 16);
for (let i = 1; i < HALF_WORD_COUNTS.length; i++) HALF_WORD_COUNTS[i] = HALF_WORD_COUNTS[i >>> 1]! + (i & 1);

export function countBits(words: Uint32Array): number {
  let total = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word !== 0) total += HALF_WORD_COUNTS[word & 0xffff]! + HALF_WORD_COUNTS[word >>> 16]!;
  }
  return total;
}

/**
 * `out` (which may be `a`) becomes the members of both sets, counted in the same pass rather than in
 * one of their own. Every word is counted, zero or not: where set words are scattered, a test per
 * word mispredicts and costs more than the look-ups it saves.
 */
export function intersectCounting(out: Uint32Array, a: Uint32Array, b: Uint32Array): number {
  let total = 0;
  for (let w = 0; w < out.length; w++) {
    const word = a[w]! & b[w]!;
    out[w] = word;
    total += HALF_WORD_COUNTS[word & 0xffff]! + HALF_WORD_COUNTS[word >>> 16]!;
  }
  return total;
}

/** As intersectCounting, with the members of either set. */
export function unionCounting(out: Uint32Array, a: Uint32Array, b: Uint32Array): number {
  let total = 0;
  for (let w = 0; w < out.length; w++) {
    const word = a[w]! | b[w]!;
    out[w] = word;
    total += HALF_WORD_COUNTS[word & 0xffff]! + HALF_WORD_COUNTS[word >>> 16]!;
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
