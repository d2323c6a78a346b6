import { describe, expect, it } from 'vitest';
import { makeApp, memoryState } from '../helpers.js';

describe('GET /__mock/health', () => {
  it('answers 200 {"status":"ok"} without any credential', async () => {
    const app = await makeApp();
    const response = await app.inject({ url: '/__mock/health' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toBe('{"status":"ok"}');
  });

  it('answers the same when an admin token is configured, so health checks need no secret', async () => {
    const app = await makeApp({ adminToken: 'secret' });
    const response = await app.inject({ url: '/__mock/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is left out of the request journal', async () => {
    const app = await makeApp();
    await app.inject({ url: '/__mock/health' });
    expect(memoryState(app).journal.size).toBe(0);
  });

  it('is documented in the OpenAPI document under the control plane', async () => {
    const app = await makeApp();
    await app.ready();
    const operation = (app.swagger() as { paths: Record<string, Record<string, { tags?: string[] }>> }).paths[
      '/__mock/health'
    ]?.get;
    expect(operation?.tags).toEqual(['Control plane']);
  });
});
