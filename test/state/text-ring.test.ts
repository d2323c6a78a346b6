import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextRing } from '../../src/state/text-ring.js';
import { SEED } from '../hardening/arbitraries.js';

/** Every record kept, oldest first, as the ring reads them back. */
function kept(ring: TextRing): string[][] {
  return Array.from({ length: ring.size }, (_, k) => ring.read(ring.slotAt(k)));
}

describe('TextRing', () => {
  it('gives back the last `capacity` records exactly, through wrap-arounds and growth', () => {
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.constant(''));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.array(text, { maxLength: 6 }), { maxLength: 120 }), (capacity, records) => {
        const ring = new TextRing(capacity);
        records.forEach((record, i) => {
          ring.push(record);
          expect(kept(ring)).toEqual(records.slice(Math.max(0, i + 1 - capacity), i + 1));
        });
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('reads only the first strings when asked, and keeps nothing after clear', () => {
    const ring = new TextRing(2);
    ring.push(['/a?x=1', '{"x":"1"}', 'host', 'example']);
    expect(ring.read(ring.slotAt(0), 1)).toEqual(['/a?x=1']);
    ring.clear();
    expect(ring.size).toBe(0);
    ring.push(['/b']);
    expect(kept(ring)).toEqual([['/b']]);
  });

  it('grows rather than write over a kept record once the bytes have wrapped around', () => {
    const ring = new TextRing(3);
    const records = Array.from({ length: 15 }, (_, i) => [String(i % 10).repeat(4000)]);
    records.push(['x'.repeat(50_000)], ['y']);
    records.forEach((record, i) => {
      ring.push(record);
      expect(kept(ring)).toEqual(records.slice(Math.max(0, i - 2), i + 1));
    });
  });

  it('keeps a record larger than everything before it', () => {
    const ring = new TextRing(3);
    ring.push(['small']);
    const large = 'é'.repeat(200_000);
    ring.push([large, 'x']);
    ring.push(['after']);
    expect(kept(ring)).toEqual([['small'], [large, 'x'], ['after']]);
  });

  it('gives back any text exactly when it keeps UTF-16', () => {
    const ring = new TextRing(2, 'utf16le');
    const texts = ['Zoë 😀 ü', '', 'x'.repeat(70_000), '\u0000\uffff'];
    for (const text of texts) ring.push([text]);
    expect([ring.read(ring.slotAt(0)), ring.read(ring.slotAt(1))]).toEqual([[texts[2]], [texts[3]]]);
  });
});
