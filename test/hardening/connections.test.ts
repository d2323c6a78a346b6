import { EventEmitter } from 'node:events';
import { type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PlaspyStore } from '../../src/providers/plaspy/store.js';
import { closeOnSignals, startServer } from '../../src/server.js';
import { DEMO } from './arbitraries.js';
import { listening, parseResponse, send } from './sockets.js';

const opened: Socket[] = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.destroy();
});

/** A connection to the mock that reads what arrives only when asked to. */
function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.on('error', reject);
    opened.push(socket);
  });
}

/** Everything the connection receives until the server closes it. */
function untilClosed(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1'))));
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function plaspyCalls(store: PlaspyStore, token: string): Promise<number> {
  return (await store.usageOf(store.findAccount(token)!)).apiUsage;
}

describe('slow readers and pipelining', () => {
  it('a client that pipelines and reads nothing has one answer made at a time; health checks answer meanwhile', async () => {
    const { app, port, url } = await listening({ users: 4000 });
    const store = app.mock.storeOf('plaspy') as PlaspyStore;
    const account = store.listAccounts().find((candidate) => candidate.token !== DEMO.plaspy)!;
    const before = await plaspyCalls(store, account.token);
    const request = `GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${account.token}\r\n\r\n`;
    const clients = await Promise.all([1, 2, 3].map(() => open(port)));
    for (const client of clients) {
      client.pause();
      client.write(request.repeat(40));
    }
    for (let i = 0; i < 5; i++) {
      await wait(200);
      expect((await send(`${url}/__mock/health`)).status).toBe(200);
    }
    // each answer is about 2 MB: the kernel's buffers hold a few, and nothing more is made
    const answered = (await plaspyCalls(store, account.token)) - before;
    expect(answered).toBeGreaterThanOrEqual(3);
    expect(answered).toBeLessThanOrEqual(3 * 8);
  });

  it('pipelined requests are all answered, in order, to a client that reads', async () => {
    const { port } = await listening();
    const client = await open(port);
    const received = untilClosed(client);
    const request = (n: number) => `GET /api/users/usr-${n} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${DEMO.plaspy}\r\n\r\n`;
    client.write(`${Array.from({ length: 50 }, (_, n) => request(n)).join('')}GET /api/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const text = await received;
    const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => Number(match[1]));
    expect(statuses).toHaveLength(51);
    expect(statuses.at(-1)).toBe(401);
  });
});

describe('stalled requests', () => {
  it('a request stalled mid-body is answered 408 in the owner’s format and its connection closed', async () => {
    const { port } = await listening({ connectionLimits: { requestTimeoutMs: 400, headersTimeoutMs: 300, checkEveryMs: 100 } });
    const client = await open(port);
    const received = untilClosed(client);
    client.write(`POST /__mock/plaspy/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"label":`);
    const response = parseResponse(await received);
    expect(response.status).toBe(408);
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: 408, error: 'Request Timeout' });
  });

  it('SIGTERM exits 0, not at its time limit, while a client is stalled mid-body', async () => {
    const server = await startServer({ host: '127.0.0.1', port: 0, users: 5 });
    const signals = new EventEmitter();
    const exits: number[] = [];
    const exited = new Promise<void>((resolve) => {
      closeOnSignals(server, { signals, timeoutMs: 5_000, exit: (code) => (exits.push(code), resolve()) });
    });
    const port = Number(new URL(server.url).port);
    const stalled = await open(port);
    stalled.write(`POST /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":`);
    const midHeaders = await open(port);
    midHeaders.write('GET /v3/users HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await wait(100);
    signals.emit('SIGTERM', 'SIGTERM');
    await exited;
    expect(exits).toEqual([0]);
  });
});

describe('shutdown', () => {
  it('pipelined requests behind the one in flight are neither run nor counted', async () => {
    const { app, port } = await listening();
    await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'plaspy', delayMs: 300, times: 1 } });
    const store = app.mock.storeOf('plaspy') as PlaspyStore;
    const before = await plaspyCalls(store, DEMO.plaspy);
    const client = await open(port);
    const received = untilClosed(client);
    client.write(`GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${DEMO.plaspy}\r\n\r\n`.repeat(3));
    await wait(100);
    await app.close();
    const text = await received;
    expect([...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1])).toEqual(['200']);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect((await plaspyCalls(store, DEMO.plaspy)) - before).toBe(1);
  });
});
