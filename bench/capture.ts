import type { Control } from './control.js';
import { type Context, type Endpoint, PROBE } from './endpoints.js';
import type { RequestSpec } from './load.js';

/** One answer of the mock, as the ceiling replays it byte for byte. */
export interface Answer {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers that belong to the connection or the moment, not to the answer. */
const TRANSIENT = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

/** How long each request took, the last one taken. */
let lastMs = 0;

async function answer(base: string, request: RequestSpec, url = request.path): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(base + request.path, { headers: request.headers });
  lastMs = performance.now() - started;
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!TRANSIENT.has(name)) headers[name] = value;
  });
  return { url, status: response.status, headers, body: await response.text() };
}

export interface Captured {
  answers: Answer[];
  /** Per endpoint, the slowest of its first requests (an index built on first use shows here). */
  firstMs: Map<string, number>;
}

/**
 * The mock's answer to every request the bench will send, for the ceiling to replay; these are the
 * first requests of each kind the mock sees, so their times are its cold latencies. Requests that
 * differ only by a key (Fingerbank's round-robin) share the first one's answer; the 429 is taken
 * from a key of its own, driven past its limit, so that the measured keys stay fresh.
 */
export async function captureAnswers(base: string, control: Control, endpoints: readonly Endpoint[], context: Context): Promise<Captured> {
  const answers = [await answer(base, PROBE)];
  const firstMs = new Map<string, number>();
  for (const endpoint of endpoints) {
    const requests = endpoint.requests(context);
    const before = answers.length;
    let slowest = 0;
    const take = async (request: RequestSpec) => {
      const taken = await answer(base, request);
      slowest = Math.max(slowest, lastMs);
      return taken;
    };
    if (endpoint.name === 'fingerbank') {
      const first = await take(requests[0]!);
      for (const request of requests) answers.push({ ...first, url: request.path });
    } else if (endpoint.name === 'fingerbank-429') {
      const [spare] = await control.createFingerbankKeys(1);
      const sample = { path: `/api/v2/users/account_info?key=${spare}`, headers: {} };
      let limited: Answer | undefined;
      for (let i = 0; i < 300 && !limited; i++) {
        const candidate = await answer(base, sample, requests[0]!.path);
        if (candidate.status === 429) limited = candidate;
      }
      if (!limited) throw new Error('Fingerbank never answered 429');
      answers.push(limited);
    } else {
      for (const request of requests) answers.push(await take(request));
    }
    if (answers.length > before && endpoint.name !== 'fingerbank-429') firstMs.set(endpoint.name, slowest);
  }
  return { answers, firstMs };
}
