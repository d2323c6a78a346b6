import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { basic, makeApp } from '../helpers.js';

const TOKEN = 's3cret-admin';

/** Every control-plane operation of the app's OpenAPI document, with its path parameters filled in. */
function controlRoutes(app: FastifyInstance): { method: string; url: string }[] {
  const paths = (app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths)
    .filter(([path]) => path.startsWith('/__mock/') && path !== '/__mock/health')
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => ({ method: method.toUpperCase(), url: path.replace(/\{\w+\}/g, 'x') })),
    );
}

describe('MOCK_ADMIN_TOKEN', () => {
  it('is required by every control-plane route but the health check when set', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    await app.ready();
    const routes = controlRoutes(app);
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { 'x-mock-admin-token': 'wrong' }]) {
        const response = await app.inject({ method: route.method as 'GET', url: route.url, headers });
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(response.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    }
  });

  it('leaves the health check open, for Docker and CI wait loops', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    expect((await app.inject({ url: '/__mock/health' })).statusCode).toBe(200);
  });

  it('opens the control plane as a Bearer token or as X-Mock-Admin-Token', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    expect((await app.inject({ url: '/__mock/accounts', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/__mock/accounts', headers: { 'x-mock-admin-token': TOKEN } })).statusCode).toBe(200);
  });

  it('never opens a provider route', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const attempts = [
      { url: '/v3/users', headers: { authorization: basic(TOKEN) } },
      { url: '/api/v2/users/account_info', headers: { authorization: `Bearer ${TOKEN}` } },
      { url: `/api/v2/users/account_info?key=${TOKEN}` },
      { url: '/api/users', headers: { authorization: `Bearer ${TOKEN}` } },
      { url: '/api/v3/users', headers: { 'x-auth-token': TOKEN } },
    ];
    for (const attempt of attempts) {
      expect((await app.inject(attempt)).statusCode, attempt.url).toBe(401);
    }
  });

  it('leaves the control plane open when not set', async () => {
    const app = await makeApp();
    expect((await app.inject({ url: '/__mock/accounts' })).statusCode).toBe(200);
  });
});
