import { mix32 } from './draws.js';

const ROUNDS = 4;

/**
 * Writes a record's index as a fixed-length code over an alphabet that looks random and reads back
 * to the index, so that a generated token or key finds its record without a map of all of them.
 * The index goes through a keyed Feistel permutation of [0, base^length): two halves of base^(length/2)
 * values each, mixed with modular addition, so every code is distinct and any index below
 * base^length has one.
 */
export class IndexCodec {
  private readonly half: number;
  private readonly halfLength: number;
  private readonly roundKeys: number[];
  /** Each ASCII character's position in the alphabet, by character code (-1: not in it). */
  private readonly values = new Int8Array(128).fill(-1);
  private readonly scratch: number[];

  constructor(
    private readonly alphabet: string,
    length: number,
    key: number,
  ) {
    if (length % 2 !== 0) throw new Error('IndexCodec needs an even length');
    this.halfLength = length / 2;
    this.half = alphabet.length ** this.halfLength;
    if (this.half > 2 ** 32) throw new Error('IndexCodec halves must stay below 2^32');
    this.roundKeys = Array.from({ length: ROUNDS }, (_, round) => mix32(key + round * 0x9e3779b9));
    if (alphabet.length > 127 || /[^\x00-\x7f]/.test(alphabet)) throw new Error('IndexCodec needs an ASCII alphabet');
    for (let i = 0; i < alphabet.length; i++) this.values[alphabet.charCodeAt(i)] = i;
    this.scratch = new Array<number>(length).fill(0);
  }

  get capacity(): number {
    return this.half * this.half;
  }

  private round(value: number, round: number): number {
    return mix32(value ^ this.roundKeys[round]!) % this.half;
  }

  /** The code's characters, as positions in the alphabet, written into `out` from `offset`. */
  encodeInto(index: number, out: Uint8Array | number[], offset = 0): void {
    let left = Math.floor(index / this.half);
    let right = index % this.half;
    for (let round = 0; round < ROUNDS; round++) {
      const next = (left + this.round(right, round)) % this.half;
      left = right;
      right = next;
    }
    const base = this.alphabet.length;
    for (let i = this.halfLength - 1; i >= 0; i--) {
      out[offset + i] = left % base;
      out[offset + this.halfLength + i] = right % base;
      left = Math.floor(left / base);
      right = Math.floor(right / base);
    }
  }

  encode(index: number): string {
    const positions = this.scratch;
    this.encodeInto(index, positions);
    let text = '';
    for (const position of positions) text += this.alphabet[position];
    return text;
  }

  /** The index a code stands for; undefined for text that is no code of this codec. */
  decode(code: string): number | undefined {
    if (code.length !== 2 * this.halfLength) return undefined;
    let left = this.parse(code, 0);
    let right = this.parse(code, this.halfLength);
    if (left === undefined || right === undefined) return undefined;
    for (let round = ROUNDS - 1; round >= 0; round--) {
      [left, right] = [(right - this.round(left, round) + this.half) % this.half, left];
    }
    return left * this.half + right;
  }

  private parse(code: string, start: number): number | undefined {
    let value = 0;
    for (let i = start; i < start + this.halfLength; i++) {
      const char = code.charCodeAt(i);
      const digit = char < 128 ? this.values[char]! : -1;
      if (digit === -1) return undefined;
      value = value * this.alphabet.length + digit;
    }
    return value;
  }
}
