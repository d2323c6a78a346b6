import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { type BuildOptions, buildApp } from '../src/app.js';
import type { StoreContext } from '../src/provider.js';
import type { Clock } from '../src/state/clock.js';
import { MemoryState } from '../src/state/memory.js';

const built: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(built.splice(0).map((app) => app.close()));
});

/** A fresh mock for one test, closed after it. Few generated users unless asked, to stay quick. */
export async function makeApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ users: 5, ...options });
  built.push(app);
  return app;
}

/** A clock that tests move by hand. */
export function manualClock(start = Date.parse('2026-03-15T10:20:30.000Z')) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}

export function basic(user: string, password = ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** What a store is built from, with its own in-memory state. */
export function storeContext(seed = 1, users = 50, clock: Clock = manualClock()): StoreContext {
  return { seed, users, clock, state: new MemoryState(clock, { seed, journalSize: 0 }) };
}

/** The app's state, in memory as buildApp makes it: for tests that read the journal or faults directly. */
export function memoryState(app: FastifyInstance): MemoryState {
  return app.mock.state as MemoryState;
}

/** A stream for the mock's logs, and the lines written to it. */
export function captureLines() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}
