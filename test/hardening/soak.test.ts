import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { FingerbankStore } from '../../src/providers/fingerbank/store.js';
import type { PlaspyStore } from '../../src/providers/plaspy/store.js';
import { basic, makeApp, manualClock, memoryState } from '../helpers.js';
import { DEMO } from './arbitraries.js';

/** Requests of the soak itself, after the warm-up; the README's Reliability section quotes it. */
export const SOAK_REQUESTS = 100_000;
const WARM_UP = 10_000;
const AT_ONCE = 100;
/** Heap the soak may leave behind after a full collection: 40 bytes a request would pass it. */
const HEAP_GROWTH_BOUND = 4 * 1024 * 1024;

/** A full collection, through V8's own flag (vitest runs without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

interface Template {
  name: string;
  request: InjectOptions;
  status: number;
}

const fingerbankBob = { authorization: `Bearer ${DEMO.fingerbankUser}` };
const plaspy = { authorization: `Bearer ${DEMO.plaspy}` };
const datonis = { 'x-auth-token': DEMO.datonis };

/** The mix every block of requests cycles through, each with the one status it must get. */
const TEMPLATES: Template[] = [
  { name: 'datafiniti', request: { url: '/v3/users', headers: { authorization: basic(DEMO.datafiniti) } }, status: 200 },
  { name: 'datafiniti refused', request: { url: '/v3/users', headers: { authorization: basic('nobody') } }, status: 401 },
  { name: 'datafiniti head', request: { method: 'HEAD', url: '/v3/users', headers: { authorization: basic(DEMO.datafiniti) } }, status: 200 },
  { name: 'datafiniti fault', request: { url: '/v3/users', headers: { authorization: basic(DEMO.datafiniti), prefer: 'code=503' } }, status: 503 },
  { name: 'fingerbank', request: { url: '/api/v2/users/account_info', headers: fingerbankBob }, status: 200 },
  { name: 'fingerbank refused', request: { url: '/api/v2/users/account_info?key=0000000000000000000000000000000000000000' }, status: 401 },
  // a repeated key takes its last value, as in Rails: here an unknown one
  { name: 'fingerbank last key', request: { url: `/api/v2/users/account_info?key=${DEMO.fingerbankUser}&key=x` }, status: 401 },
  { name: 'fingerbank too long', request: { url: `/api/v2/users/account_info/${'k'.repeat(1100)}` }, status: 414 },
  { name: 'plaspy list', request: { url: '/api/users', headers: plaspy }, status: 200 },
  { name: 'plaspy not found', request: { url: '/api/users/usr-99999', headers: plaspy }, status: 404 },
  { name: 'plaspy refused', request: { url: '/api/users', headers: { authorization: 'Bearer nope' } }, status: 401 },
  { name: 'plaspy bad url', request: { url: '/api/users/%zz', headers: plaspy }, status: 400 },
  { name: 'datonis', request: { url: '/api/v3/users?per=2&page=2&order_by=first_name&order=desc', headers: datonis }, status: 200 },
  {
    name: 'datonis body',
    request: { url: '/api/v3/users', headers: { ...datonis, 'content-type': 'application/json' }, payload: '{"search":"bill jack","scope":"any","page":"1"}' },
    status: 200,
  },
  { name: 'datonis invalid', request: { url: '/api/v3/users?per=5000', headers: datonis }, status: 400 },
  { name: 'unknown path', request: { url: '/api/v3/devices' }, status: 404 },
  { name: 'elsewhere', request: { method: 'POST', url: '/nowhere', payload: { a: 1 } }, status: 404 },
  { name: 'journal', request: { url: '/__mock/requests?limit=5' }, status: 200 },
  { name: 'control read', request: { url: '/__mock/plaspy/accounts/plaspy-demo-token' }, status: 200 },
  { name: 'control refused', request: { url: '/__mock/datonis/accounts?per=0' }, status: 400 },
];

describe('soak', () => {
  it(`${SOAK_REQUESTS.toLocaleString('en')} mixed requests: every one answered as expected, counters exact, heap bounded`, async () => {
    // 20 ms per request: bob's window sees 150 of his calls a minute, under the 250 allowed
    const clock = manualClock();
    const app = await makeApp({ clock, users: 20 });
    const sent = new Map<string, number>();
    const wrong: string[] = [];

    async function run(count: number): Promise<void> {
      for (let start = 0; start < count; start += AT_ONCE) {
        const block = Array.from({ length: Math.min(AT_ONCE, count - start) }, (_, i) => TEMPLATES[(start + i) % TEMPLATES.length]!);
        clock.advance(20 * block.length);
        const responses = await Promise.all(block.map((template) => app.inject(template.request)));
        responses.forEach((response, i) => {
          const template = block[i]!;
          sent.set(template.name, (sent.get(template.name) ?? 0) + 1);
          if (response.statusCode !== template.status && wrong.length < 5) wrong.push(`${template.name}: ${response.statusCode} ${response.body.slice(0, 120)}`);
        });
      }
    }

    const fingerbank = app.mock.storeOf('fingerbank') as FingerbankStore;
    const store = app.mock.storeOf('plaspy') as PlaspyStore;
    const bobBefore = (await fingerbank.findByKey(DEMO.fingerbankUser))!.requests;

    await run(WARM_UP);
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = Date.now();
    await run(SOAK_REQUESTS);
    const seconds = (Date.now() - started) / 1000;
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - heapBefore;

    expect(wrong).toEqual([]);
    expect([...sent.values()].reduce((a, b) => a + b, 0)).toBe(WARM_UP + SOAK_REQUESTS);
    // nothing lost: every counted call is in the counters, and nothing else is
    expect((await fingerbank.findByKey(DEMO.fingerbankUser))!.requests - bobBefore).toBe(sent.get('fingerbank'));
    expect((await store.usageOf(store.findAccount(DEMO.plaspy))).apiUsage - 149).toBe(sent.get('plaspy list')! + sent.get('plaspy not found')!);
    expect((await store.usageOf(undefined)).apiUsage - 149).toBe(sent.get('plaspy refused'));
    expect(memoryState(app).journal.size).toBe(memoryState(app).journal.capacity);
    expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
    expect(seconds).toBeLessThan(50);
  }, 60_000);
});
