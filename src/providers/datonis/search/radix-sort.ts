const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;

/**
 * The stable sorting permutation of `n` items by an unsigned key of several 32-bit words (the most
 * significant first, `keys[w][i]` for item i): an LSD radix sort in 16-bit digits, so a million
 * items sort in a few linear passes instead of twenty million comparisons. Items with equal keys
 * keep their order, as Array.prototype.sort keeps them. A pass whose digit is the same for every
 * item is skipped.
 */
export function radixPermutation(n: number, keys: readonly Uint32Array[]): Int32Array {
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const counts = new Int32Array(BUCKETS);
  for (let w = keys.length - 1; w >= 0; w--) {
    const key = keys[w]!;
    for (const shift of [0, DIGIT_BITS]) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(key[i]! >>> shift) & 0xffff]!++;
      if (n === 0 || counts[(key[0]! >>> shift) & 0xffff] === n) continue;
      let sum = 0;
      for (let b = 0; b < BUCKETS; b++) {
        const count = counts[b]!;
        counts[b] = sum;
        sum += count;
      }
      for (let i = 0; i < n; i++) {
        const item = order[i]!;
        next[counts[(key[item]! >>> shift) & 0xffff]!++] = item;
      }
      [order, next] = [next, order];
    }
  }
  return order;
}
