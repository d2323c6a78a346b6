import type { FastifyInstance } from 'fastify';
import { Agent } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { BOB_KEY, PATH } from '../providers/fingerbank/accounts.js';
import { send, listening } from '../hardening/sockets.js';
import { basic, makeApp } from '../helpers.js';

const BOB = `${PATH}?key=${BOB_KEY}`;
const PLASPY = { authorization: 'Bearer plaspy-demo-token' };
const DATAFINITI_TOKEN = 'AAAXXXXXXXXXXXX';

async function addFault(app: FastifyInstance, payload: Record<string, unknown>) {
  const response = await app.inject({ method: 'POST', url: '/__mock/faults', payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; hits: number };
}

async function statuses(app: FastifyInstance, count: number, request: { url: string }) {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await app.inject(request)).statusCode);
  return seen;
}

const agents: Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

describe('fault sequences', () => {
  it('502, then 502, then a normal answer; then the fault is gone', async () => {
    const app = await makeApp();
    await addFault(app, { provider: 'fingerbank', sequence: [{ status: 502 }, { status: 502 }, { pass: true }] });
    expect(await statuses(app, 4, { url: BOB })).toEqual([502, 502, 200, 200]);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
  });

  it('429 with the step’s Retry-After (not the forced 60), then a normal answer', async () => {
    const app = await makeApp();
    await addFault(app, { provider: 'fingerbank', sequence: [{ status: 429, headers: { 'retry-after': '2', 'x-step': 'one' } }, { pass: true }] });
    const limited = await app.inject({ url: BOB });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.headers['x-step']).toBe('one');
    const next = await app.inject({ url: BOB });
    expect(next.statusCode).toBe(200);
    expect(next.headers['x-step']).toBeUndefined();
  });

  it('a step without a status adds its headers to the normal answer, and a step’s message replaces the provider’s', async () => {
    const app = await makeApp();
    await addFault(app, { provider: 'plaspy', sequence: [{ headers: { 'X-Slow': 'yes' }, delayMs: 1 }, { status: 503, message: 'down for a moment' }] });
    const first = await app.inject({ url: '/api/users', headers: PLASPY });
    expect(first.statusCode).toBe(200);
    expect(first.headers['x-slow']).toBe('yes');
    const second = await app.inject({ url: '/api/users', headers: PLASPY });
    expect(second.statusCode).toBe(503);
    expect(second.body).toContain('down for a moment');
  });

  it('repeats with repeat: true, and counts its hits; times ends a repeating sequence', async () => {
    const app = await makeApp();
    const fault = await addFault(app, { provider: 'fingerbank', sequence: [{ status: 503 }, { pass: true }], repeat: true });
    expect(await statuses(app, 5, { url: BOB })).toEqual([503, 200, 503, 200, 503]);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toMatchObject([{ id: fault.id, hits: 5, repeat: true }]);
    await app.inject({ method: 'DELETE', url: '/__mock/faults' });
    await addFault(app, { provider: 'fingerbank', sequence: [{ status: 503 }], repeat: true, times: 3 });
    expect(await statuses(app, 4, { url: BOB })).toEqual([503, 503, 503, 200]);
  });

  it('under concurrency over real sockets, each step is taken by exactly one call', async () => {
    const { app, url } = await listening();
    const steps = Array.from({ length: 120 }, (_, i) => ({ status: 400 + i }));
    await addFault(app, { provider: 'datafiniti', sequence: steps });
    const agent = new Agent({ keepAlive: true, maxSockets: 24 });
    agents.push(agent);
    const headers = { authorization: basic(DATAFINITI_TOKEN) };
    const answers = await Promise.all(Array.from({ length: 140 }, () => send(`${url}/v3/users`, { headers, agent })));
    const seen = answers.map((answer) => answer.status);
    expect(seen.filter((status) => status >= 400).sort((a, b) => a - b)).toEqual(steps.map((step) => step.status));
    expect(seen.filter((status) => status === 200)).toHaveLength(20);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
  });
});

describe('fault matching', () => {
  it('on credential: Fingerbank’s key, however it is sent; other keys pass', async () => {
    const app = await makeApp();
    await addFault(app, { provider: 'fingerbank', credential: BOB_KEY, status: 503 });
    expect((await app.inject({ url: BOB })).statusCode).toBe(503);
    expect((await app.inject({ url: PATH, headers: { authorization: `Bearer ${BOB_KEY}` } })).statusCode).toBe(503);
    expect((await app.inject({ url: `${PATH}/${BOB_KEY}` })).statusCode).toBe(503);
    expect((await app.inject({ url: `${PATH}?key=${'a'.repeat(40)}` })).statusCode).toBe(401);
    expect((await app.inject({ url: PATH })).statusCode).toBe(401);
  });

  it('on credential: Datafiniti’s Basic token, Plaspy’s Bearer token, Datonis’s X-Auth-Token', async () => {
    const app = await makeApp();
    await addFault(app, { provider: 'datafiniti', credential: DATAFINITI_TOKEN, status: 500 });
    await addFault(app, { provider: 'plaspy', credential: 'plaspy-demo-token', status: 500 });
    await addFault(app, { provider: 'datonis', credential: 'WtUFnj8pvSxVnH9e_xkq7A', status: 500 });
    expect((await app.inject({ url: '/v3/users', headers: { authorization: basic(DATAFINITI_TOKEN) } })).statusCode).toBe(500);
    expect((await app.inject({ url: '/v3/users', headers: { authorization: basic('OTHER') } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/users', headers: PLASPY })).statusCode).toBe(500);
    expect((await app.inject({ url: '/api/users', headers: { authorization: 'Bearer other' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': ' WtUFnj8pvSxVnH9e_xkq7A ' } })).statusCode).toBe(500);
    expect((await app.inject({ url: '/api/v3/users', headers: { 'x-auth-token': 'other' } })).statusCode).toBe(401);
  });

  it('on route and method', async () => {
    const app = await makeApp();
    await addFault(app, { provider: 'plaspy', route: '/api/users/:userId', method: 'GET', status: 503 });
    await addFault(app, { provider: 'fingerbank', method: 'HEAD', status: 503 });
    expect((await app.inject({ url: '/api/users', headers: PLASPY })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/users/12345', headers: PLASPY })).statusCode).toBe(503);
    expect((await app.inject({ method: 'HEAD', url: BOB })).statusCode).toBe(503);
    expect((await app.inject({ url: BOB })).statusCode).toBe(200);
  });

  it.each([
    ['a sequence beside a status', { provider: 'plaspy', status: 500, sequence: [{ status: 502 }] }, 'in its steps'],
    ['an empty sequence', { provider: 'plaspy', sequence: [] }, "'sequence'"],
    ['a step that passes and fails', { provider: 'plaspy', sequence: [{ pass: true, status: 500 }] }, 'Step 0'],
    ['a step that does nothing', { provider: 'plaspy', sequence: [{ status: 500 }, { message: 'x' }] }, 'Step 1'],
    ['repeat without a sequence', { provider: 'plaspy', status: 500, repeat: true }, 'sequence'],
    ['an unknown connection fault', { provider: 'plaspy', connection: 'explode' }, "'connection'"],
    ['an unknown method', { provider: 'plaspy', method: 'FETCH', status: 500 }, "'method'"],
    ['a header with a line break', { provider: 'plaspy', status: 500, headers: { 'X-A': 'a\r\nSet-Cookie: b' } }, 'headers'],
    ['a header name that is not a token', { provider: 'plaspy', status: 500, headers: { 'X A': 'a' } }, 'headers'],
    ['a header that frames the answer', { provider: 'plaspy', sequence: [{ status: 500, headers: { 'Content-Length': '5' } }] }, "'Content-Length'"],
  ])('refuses %s with a 400 and adds nothing', async (_name, payload, message) => {
    const app = await makeApp();
    const response = await app.inject({ method: 'POST', url: '/__mock/faults', payload });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(response.json().message).toContain(message);
    expect((await app.inject({ url: '/__mock/faults' })).json()).toEqual([]);
  });
});
