import { describe, expect, it } from 'vitest';
import { errorFormatProblem } from '../hardening/formats.js';
import { listening, send } from '../hardening/sockets.js';

const JSON_BODY = { 'content-type': 'application/json' };

async function faultCount(url: string): Promise<number> {
  return (JSON.parse((await send(`${url}/__mock/faults`)).body) as unknown[]).length;
}

describe('control-plane writes from a page on another origin', () => {
  it('are refused with a 403 in the control plane’s envelope, and change nothing', async () => {
    const { url, port } = await listening();
    const fault = JSON.stringify({ provider: 'fingerbank', status: 503 });
    for (const headers of <Record<string, string>[]>[
      { origin: 'http://evil.example' },
      { origin: `http://localhost:${port + 1}` },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: url, 'sec-fetch-site': 'cross-site' },
    ]) {
      const refused = await send(`${url}/__mock/faults`, { method: 'POST', headers: { ...JSON_BODY, ...headers }, body: fault });
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(errorFormatProblem('control', 403, JSON.parse(refused.body))).toBeUndefined();
    }
    const reset = await send(`${url}/__mock/reset`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(reset.status).toBe(403);
    expect(JSON.parse(reset.body).message).toBe(
      `The control plane refuses writes from another origin: Origin 'http://evil.example' is not this mock's own (Host '127.0.0.1:${port}')`,
    );
    expect(await faultCount(url)).toBe(0);
  });

  it('pass from curl and same-machine clients (no Origin), from the mock’s own pages, and as reads from anywhere', async () => {
    const { url } = await listening();
    const fault = JSON.stringify({ provider: 'fingerbank', status: 503 });
    expect((await send(`${url}/__mock/faults`, { method: 'POST', headers: JSON_BODY, body: fault })).status).toBe(201);
    const ownPage = { ...JSON_BODY, origin: url, 'sec-fetch-site': 'same-origin' };
    expect((await send(`${url}/__mock/faults`, { method: 'POST', headers: ownPage, body: fault })).status).toBe(201);
    expect((await send(`${url}/__mock/faults`, { headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } })).status).toBe(200);
    expect(await faultCount(url)).toBe(2);
  });

  it('stay refused with --cors, which opens the provider paths only', async () => {
    const { url } = await listening({ cors: 'http://app.example' });
    const headers = { ...JSON_BODY, origin: 'http://app.example' };
    expect((await send(`${url}/__mock/reset`, { method: 'POST', headers })).status).toBe(403);
  });
});
