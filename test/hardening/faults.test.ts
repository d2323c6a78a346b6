import { Agent } from 'node:http';
import { type Socket, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlaspyStore } from '../../src/providers/plaspy/store.js';
import { basic, memoryState } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { errorFormatProblem } from './formats.js';
import { listening, send } from './sockets.js';

const agents: Agent[] = [];
afterEach(() => {
  for (const agent of agents.splice(0)) agent.destroy();
});

/** A pool of keep-alive connections, closed after the test. */
function pool(maxSockets: number): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets });
  agents.push(agent);
  return agent;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.on('error', () => undefined);
  });
}

const DATAFINITI = { authorization: basic(DEMO.datafiniti) };
const PLASPY = { authorization: `Bearer ${DEMO.plaspy}` };

describe('clients that leave', () => {
  it('mid-headers, mid-body, while waiting and mid-answer, 200 times over: the server answers on, and creates nothing half-sent', async () => {
    const { app, port, url } = await listening({ users: 2_000 });
    const accounts = async () => (await app.inject({ url: '/__mock/datafiniti/accounts' })).json().total as number;
    const seeded = await accounts();
    const generated = (app.mock.storeOf('plaspy') as PlaspyStore).listAccounts().find((account) => account.token !== DEMO.plaspy)!;

    const leavers = Array.from({ length: 200 }, async (_, i) => {
      const socket = await open(port);
      switch (i % 4) {
        case 0:
          socket.write(`GET /v3/users HTTP/1.1\r\nHost: localhost\r\nAuthoriz`);
          break;
        case 1:
          socket.write(
            `POST /__mock/datafiniti/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"token":"half-sent-${i}`,
          );
          break;
        case 2:
          socket.write(`GET /api/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${DEMO.plaspy}\r\nPrefer: delay=200\r\n\r\n`);
          break;
        case 3:
          // an answer of about a megabyte, of which the client reads one chunk
          socket.write(`GET /api/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${generated.token}\r\n\r\n`);
          await new Promise((resolve) => socket.once('data', resolve));
          break;
      }
      await sleep(20);
      socket.destroy();
    });
    await Promise.all(leavers);

    const after = await send(`${url}/v3/users`, { headers: DATAFINITI });
    expect(after.status).toBe(200);
    expect(await accounts()).toBe(seeded);
    // a call received in full is counted once, though its client left before the answer
    const plaspy = app.mock.storeOf('plaspy') as PlaspyStore;
    const usage = () => plaspy.usageOf(plaspy.findAccount(DEMO.plaspy));
    for (const deadline = Date.now() + 5_000; (await usage()).apiUsage < 149 + 50 && Date.now() < deadline; ) await sleep(50);
    expect(await usage()).toEqual({ apiUsage: 149 + 50, apiDailyUsage: 14 + 50 });
  });
});

describe('slow clients', () => {
  it('one sending a byte every 10 ms and fifty holding half-sent headers do not hold up anyone else', async () => {
    const { port, url } = await listening();
    const holders = await Promise.all(Array.from({ length: 50 }, () => open(port)));
    for (const socket of holders) socket.write('GET /v3/users HTTP/1.1\r\nHost: localhost\r\n');

    const slow = (async () => {
      const socket = await open(port);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = new Promise((resolve) => socket.on('close', resolve));
      const request = `GET /v3/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${DATAFINITI.authorization}\r\nConnection: close\r\n\r\n`;
      for (const byte of request) {
        socket.write(byte);
        await sleep(10);
      }
      await closed;
      return Buffer.concat(chunks).toString('utf8');
    })();

    const agent = pool(8);
    const others: number[] = [];
    for (let i = 0; i < 100; i++) {
      const response = await send(`${url}/api/users`, { headers: PLASPY, agent });
      expect(response.status).toBe(200);
      others.push(response.ms);
    }
    expect(Math.max(...others)).toBeLessThan(2_000);
    expect(await slow).toMatch(/^HTTP\/1\.1 200 /);
    for (const socket of holders) socket.destroy();
  });
});

describe('a flood on one provider', () => {
  it('2,000 requests on one Fingerbank key: the rate limit holds exactly, and Datafiniti answers throughout', async () => {
    const { url } = await listening();
    const flood = pool(64);
    const started = performance.now();
    const flooding = Promise.all(
      Array.from({ length: 2_000 }, () => send(`${url}/api/v2/users/account_info?key=${DEMO.fingerbankUser}`, { agent: flood })),
    );
    const meanwhile = pool(2);
    const answered: number[] = [];
    for (let i = 0; i < 50; i++) {
      const response = await send(`${url}/v3/users`, { headers: DATAFINITI, agent: meanwhile });
      expect(response.status).toBe(200);
      answered.push(response.ms);
    }
    const statuses = (await flooding).map((response) => response.status);
    expect(performance.now() - started).toBeLessThan(60_000);
    expect(statuses.filter((status) => status === 200)).toHaveLength(250);
    expect(statuses.filter((status) => status === 429)).toHaveLength(1_750);
    expect(Math.max(...answered)).toBeLessThan(5_000);
  });

  it('requests held by an injected delay do not hold up another provider', async () => {
    const { url } = await listening();
    const fault = await send(`${url}/__mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'datonis', delayMs: 1_500 }),
    });
    expect(fault.status).toBe(201);
    const held = pool(300);
    const delayed = Promise.all(Array.from({ length: 300 }, () => send(`${url}/api/v3/users`, { headers: { 'x-auth-token': DEMO.datonis }, agent: held })));
    await sleep(100);
    const meanwhile = pool(4);
    const answered = await Promise.all(Array.from({ length: 40 }, () => send(`${url}/api/users`, { headers: PLASPY, agent: meanwhile })));
    expect(answered.every((response) => response.status === 200)).toBe(true);
    expect(Math.max(...answered.map((response) => response.ms))).toBeLessThan(1_000);
    const datonis = await delayed;
    expect(datonis.every((response) => response.status === 200)).toBe(true);
    expect(Math.min(...datonis.map((response) => response.ms))).toBeGreaterThanOrEqual(1_400);
  });

  it('an injected failure on one provider answers in its format and spares the others', async () => {
    const { app, url } = await listening();
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datonis', status: 503, probability: 0.5 } });
    const agent = pool(16);
    const datonis = await Promise.all(Array.from({ length: 200 }, () => send(`${url}/api/v3/users`, { headers: { 'x-auth-token': DEMO.datonis }, agent })));
    const failed = datonis.filter((response) => response.status === 503);
    expect(failed.length).toBeGreaterThan(50);
    expect(failed.length).toBeLessThan(150);
    expect(datonis.filter((response) => response.status === 200)).toHaveLength(200 - failed.length);
    for (const response of failed) expect(errorFormatProblem('datonis', 503, JSON.parse(response.body))).toBeUndefined();
    const others = await Promise.all(Array.from({ length: 50 }, () => send(`${url}/v3/users`, { headers: DATAFINITI, agent })));
    expect(others.every((response) => response.status === 200)).toBe(true);
    expect(memoryState(app).faults.list()[0]?.hits).toBe(failed.length);
  });
});
