import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultSpec, type MockServer, startMock } from '../../src/mock.js';

let mock: MockServer;
beforeAll(async () => {
  mock = await startMock({ users: 2, clock: '2026-03-15T10:00:00Z' });
});
afterAll(() => mock.close());

describe('the typed control client', () => {
  it('reads and moves the clock', async () => {
    expect(await mock.control.clock()).toMatchObject({ now: '2026-03-15T10:00:00.000Z', frozen: true });
    expect(await mock.control.moveClock({ advanceMs: 1_000, freeze: false })).toMatchObject({ now: '2026-03-15T10:00:01.000Z', frozen: false });
    await mock.control.reset();
    expect(await mock.control.clock()).toMatchObject({ now: '2026-03-15T10:00:00.000Z', frozen: true });
  });

  it('adds, lists and clears faults with sequences and matching, typed from the route schemas', async () => {
    const spec: FaultSpec = { provider: 'plaspy', method: 'GET', credential: 'plaspy-demo-token', sequence: [{ status: 503, headers: { 'Retry-After': '1' } }, { pass: true }] };
    const fault = await mock.control.addFault(spec);
    expect(fault).toMatchObject({ ...spec, hits: 0, id: expect.any(String) });
    expect(await mock.control.faults('plaspy')).toHaveLength(1);
    expect(await mock.control.clearFaults('plaspy')).toEqual({ cleared: 1 });
    // @ts-expect-error: provider slugs are a union type
    await expect(mock.control.addFault({ provider: 'stripe', status: 500 })).rejects.toMatchObject({ status: 400 });
    // @ts-expect-error: a connection fault is one of four
    await expect(mock.control.addFault({ provider: 'plaspy', connection: 'explode' })).rejects.toMatchObject({ status: 400 });
  });
});
