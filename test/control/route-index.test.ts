import { describe, expect, it } from 'vitest';
import { listening, send } from '../hardening/sockets.js';

describe('GET /__mock', () => {
  it('answers the control plane’s routes with their methods and summaries, in the control plane’s JSON', async () => {
    const { url } = await listening();
    const answer = await send(`${url}/__mock`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const index = JSON.parse(answer.body) as { docs: string; routes: { method: string; path: string; summary: string }[] };
    expect(index.docs).toBe('/docs');
    const listed = index.routes.map((route) => `${route.method} ${route.path}`);
    for (const route of ['GET /__mock', 'POST /__mock/reset', 'POST /__mock/faults', 'GET /__mock/requests/count', 'POST /__mock/clock', 'PATCH /__mock/plaspy/accounts/:accountId']) {
      expect(listed).toContain(route);
    }
    expect(index.routes.find((route) => route.path === '/__mock/reset')?.summary).toBe('Back to the seeded state');
    expect(new Set(listed).size).toBe(listed.length);
    // a path under it that no route serves is still a 404 in the same format
    const missing = await send(`${url}/__mock/nope`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
