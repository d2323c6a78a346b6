import { describe, expect, it } from 'vitest';
import { MemoryState } from '../../src/state/memory.js';
import type { UsagePlan } from '../../src/state/state.js';
import { manualClock } from '../helpers.js';

const PLAN: UsagePlan = { scope: 'test', periods: { hourly: 'hour', total: 'forever' } };
const SEEDED = { hourly: 5, total: 100 };
const RATE = { limit: 2, windowMs: 60_000 };

function state(clock = manualClock(Date.parse('2026-03-15T10:20:00.000Z'))) {
  return { clock, state: new MemoryState(clock, { seed: 1, journalSize: 10 }) };
}

describe('MemoryState usage', () => {
  it('reads a key’s seeded figures until a call is counted, then counts each call once', () => {
    const { state: memory } = state();
    expect(memory.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
    expect(memory.usage.admit(PLAN, 'a', SEEDED)).toEqual({ allowed: true, figures: { hourly: 6, total: 101 }, rate: undefined });
    expect(memory.usage.admit(PLAN, 'a', SEEDED).figures).toEqual({ hourly: 7, total: 102 });
    expect(memory.usage.read(PLAN, 'b', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it('admits calls within the rate limit only, counting none it refuses, until the window ends', () => {
    const { clock, state: memory } = state();
    expect(memory.usage.admit(PLAN, 'a', SEEDED, RATE).rate).toMatchObject({ allowed: true, remaining: 1 });
    expect(memory.usage.admit(PLAN, 'a', SEEDED, RATE).rate).toMatchObject({ allowed: true, remaining: 0 });
    const refused = memory.usage.admit(PLAN, 'a', SEEDED, RATE);
    expect(refused).toMatchObject({ allowed: false, figures: { hourly: 7, total: 102 } });
    expect(refused.rate).toMatchObject({ allowed: false, remaining: 0, resetInMs: 60_000 });
    clock.advance(60_000);
    expect(memory.usage.admit(PLAN, 'a', SEEDED, RATE)).toMatchObject({ allowed: true, figures: { hourly: 8, total: 103 } });
  });

  it('starts a counter from zero when its period ends, and seeded figures count for the period of the last reset only', () => {
    const { clock, state: memory } = state();
    memory.usage.admit(PLAN, 'a', SEEDED);
    clock.advance(3_600_000);
    expect(memory.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 0, total: 101 });
    expect(memory.usage.read(PLAN, 'never-used', SEEDED)).toEqual({ hourly: 0, total: 100 });
    memory.reset();
    expect(memory.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it('sets some figures, keeps the others counting, and forgets a key', () => {
    const { state: memory } = state();
    expect(memory.usage.set(PLAN, 'a', SEEDED, { total: 7 })).toEqual({ hourly: 5, total: 7 });
    expect(memory.usage.admit(PLAN, 'a', SEEDED).figures).toEqual({ hourly: 6, total: 8 });
    memory.usage.forget(PLAN, 'a');
    expect(memory.usage.read(PLAN, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it('keeps scopes apart', () => {
    const { state: memory } = state();
    memory.usage.admit(PLAN, 'a', SEEDED);
    expect(memory.usage.read({ ...PLAN, scope: 'other' }, 'a', SEEDED)).toEqual({ hourly: 5, total: 100 });
  });

  it('reset clears faults and the journal too', () => {
    const { state: memory } = state();
    memory.faults.add({ provider: 'datonis', status: 503 });
    memory.journal.record({ time: '', provider: null, method: 'GET', path: '/', query: {}, headers: {}, body: null, status: 404, durationMs: 1 });
    memory.reset();
    expect(memory.faults.list()).toEqual([]);
    expect(memory.journal.list()).toEqual([]);
  });
});

describe('MemoryState time', () => {
  it('moves, sets and freezes on top of the clock beneath, and a reset brings back the start', () => {
    const clock = manualClock(Date.parse('2026-03-15T10:20:00.000Z'));
    const memory = new MemoryState(clock, { seed: 1, journalSize: 0 });
    expect(memory.time.change({ advanceMs: 1_000 })).toEqual({ now: clock() + 1_000, offsetMs: 1_000, frozen: false });
    clock.advance(500);
    expect(memory.clock()).toBe(clock() + 1_000);
    memory.time.change({ freeze: true });
    clock.advance(500);
    expect(memory.time.read()).toMatchObject({ now: clock() + 500, frozen: true });
    expect(() => memory.time.change({ set: -1 })).toThrow(RangeError);
    memory.reset();
    expect(memory.time.read()).toEqual({ now: clock(), offsetMs: 0, frozen: false });
    const started = new MemoryState(clock, { seed: 1, journalSize: 0, startAt: 0 });
    clock.advance(500);
    expect(started.time.read()).toMatchObject({ now: 0, frozen: true });
  });
});

describe('MemoryState faults', () => {
  const call = (method = 'GET', route = '/a', credential: string | undefined = 'k') => ({ method, route: () => route, credential: () => credential });

  it('takes each step of a sequence once, in order, then drops the fault; a pass step answers normally', () => {
    const { state: memory } = state();
    memory.faults.add({ provider: 'p', sequence: [{ status: 502 }, { pass: true }, { connection: 'reset', delayMs: 5 }] });
    expect(memory.faults.take('p', call())).toEqual({ status: 502 });
    expect(memory.faults.take('p', call())).toEqual({});
    expect(memory.faults.take('p', call())).toEqual({ connection: 'reset', delayMs: 5 });
    expect(memory.faults.take('p', call())).toBeUndefined();
    expect(memory.faults.list()).toEqual([]);
  });

  it('matches on method, route and credential, reading route and credential only when a fault asks', () => {
    const { state: memory } = state();
    memory.faults.add({ provider: 'p', method: 'POST', status: 500 });
    memory.faults.add({ provider: 'p', route: '/b', status: 501 });
    memory.faults.add({ provider: 'p', credential: 'secret', status: 503 });
    expect(memory.faults.take('p', call('GET', '/a', 'k'))).toBeUndefined();
    expect(memory.faults.take('p', call('POST'))).toMatchObject({ status: 500 });
    expect(memory.faults.take('p', call('GET', '/b'))).toMatchObject({ status: 501 });
    expect(memory.faults.take('p', call('GET', '/a', 'secret'))).toMatchObject({ status: 503 });
    let reads = 0;
    memory.faults.clear();
    memory.faults.add({ provider: 'p', method: 'DELETE', status: 500 });
    memory.faults.take('p', { method: 'GET', route: () => `${reads++}`, credential: () => `${reads++}` });
    expect(reads).toBe(0);
  });
});
