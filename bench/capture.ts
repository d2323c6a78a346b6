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

async function answer(base: string, request: RequestSpec, url = request.path): Promise<Answer> {
  const response = await fetch(base + request.path, { headers: request.headers });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!TRANSIENT.has(name)) headers[name] = value;
  });
  return { url, status: response.status, headers, body: await response.text() };
}

/**
 * The mock's answer to every request the bench will send, for the ceiling to replay. Requests that
 * differ only by a key (Fingerbank's round-robin) share the first one's answer; the 429 is taken
 * from a key of its own, driven past its limit, so that the measured keys stay fresh.
 */
export async function captureAnswers(base: string, control: Control, endpoints: readonly Endpoint[], context: Context): Promise<Answer[]> {
  const answers = [await answer(base, PROBE)];
  for (const endpoint of endpoints) {
    const requests = endpoint.requests(context);
    if (endpoint.name === 'fingerbank') {
      const first = await answer(base, requests[0]!);
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
      for (const request of requests) answers.push(await answer(base, request));
    }
  }
  return answers;
}
