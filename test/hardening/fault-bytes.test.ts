import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/control/limits.js';
import { errorFormatProblem } from './formats.js';
import { listening } from './sockets.js';

function post(url: string, body: unknown) {
  return fetch(`${url}/__mock/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A sequence of `steps` steps of about `bytes` bytes each, every field within the schema's own bounds. */
function largeSequence(steps: number) {
  const headers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-Filler-${i}`, 'x'.repeat(1000)]));
  return Array.from({ length: steps }, () => ({ status: 503, message: 'm'.repeat(1000), headers }));
}

describe('the bytes faults take', () => {
  it('refuses one fault larger than the bound with a 422 in the control plane’s envelope, and keeps nothing of it', async () => {
    const { url } = await listening();
    // ~21 KB per step: 45 steps, under the 1 MB body limit, were kept whole (1,000 such faults held 1 GB)
    const refused = await post(url, { provider: 'plaspy', sequence: largeSequence(45) });
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { message: string };
    expect(errorFormatProblem('control', 422, body)).toBeUndefined();
    expect(body.message).toMatch(/^A fault may take at most 65536 bytes as JSON, and this one takes \d+: shorten its message, headers or sequence$/);
    expect(await (await fetch(`${url}/__mock/faults`)).json()).toEqual([]);
    // three such steps fit
    expect((await post(url, { provider: 'plaspy', sequence: largeSequence(3) })).status).toBe(201);
  });

  it('bounds all the faults together; the list still answers, and clearing makes room again', async () => {
    const { url } = await listening({ controlLimits: { faultsBytes: 200_000 } });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(url, { provider: 'fingerbank', sequence: largeSequence(1) })).status);
    // each takes ~21 KB: nine fit under 200,000 bytes
    expect(statuses).toEqual([...Array(9).fill(201), 422, 422, 422]);
    const over = await post(url, { provider: 'fingerbank', sequence: largeSequence(1) });
    const body = (await over.json()) as { message: string };
    expect(errorFormatProblem('control', 422, body)).toBeUndefined();
    expect(body.message).toMatch(/^The faults in force may take at most 200000 bytes as JSON together; they take \d+, and this one \d+ more; DELETE \/__mock\/faults clears them$/);
    const list = await fetch(`${url}/__mock/faults`);
    expect(list.status).toBe(200);
    expect(await list.json()).toHaveLength(9);
    // small faults are not held back by the total until it is reached
    expect((await fetch(`${url}/__mock/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await post(url, { provider: 'fingerbank', sequence: largeSequence(1) })).status).toBe(201);
  });

  it('defaults to 64 KB a fault and 4 MB for all of them', () => {
    expect(DEFAULT_LIMITS.faultBytes).toBe(65_536);
    expect(DEFAULT_LIMITS.faultsBytes).toBe(4 * 1024 * 1024);
  });
});
