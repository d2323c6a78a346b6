import { EventEmitter } from 'node:events';
import { type Socket, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { type RunningServer, closeOnSignals, startServer } from '../../src/server.js';
import { basic } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { listening, send } from './sockets.js';

const REQUEST = `GET /v3/users HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${basic(DEMO.datafiniti)}\r\n`;

/** What one raw connection saw: the bytes, and whether it ended in an error (and which), a close, or neither in time. */
interface Seen {
  bytes: Buffer;
  error?: string;
  closed: boolean;
}

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
});

/** Sends one request on a new connection; watches it until it closes, or gives up after `waitMs`. */
function exchange(port: number, extraHeaders = '', waitMs = 5_000): Promise<Seen> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    sockets.push(socket);
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), error, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (failure: NodeJS.ErrnoException) => {
      error = failure.code;
    });
    socket.on('close', () => finish(true));
    socket.write(`${REQUEST}${extraHeaders}\r\n`);
  });
}

async function stillServes(url: string) {
  const after = await send(`${url}/v3/users`, { headers: { authorization: basic(DEMO.datafiniti) } });
  expect(after.status).toBe(200);
}

async function fault(app: FastifyInstance, connection: string) {
  const response = await app.inject({ method: 'POST', url: '/__mock/faults', payload: { provider: 'datafiniti', connection, times: 1 } });
  expect(response.statusCode).toBe(201);
}

describe('connection faults, over real sockets', () => {
  it('reset: the client sees ECONNRESET and no byte; the server serves the next call', async () => {
    const { app, port, url } = await listening();
    await fault(app, 'reset');
    const seen = await exchange(port);
    expect(seen).toEqual({ bytes: Buffer.alloc(0), error: 'ECONNRESET', closed: true });
    await stillServes(url);
  });

  it('empty: the connection closes cleanly with no byte at all', async () => {
    const { app, port, url } = await listening();
    await fault(app, 'empty');
    const seen = await exchange(port);
    expect(seen).toEqual({ bytes: Buffer.alloc(0), error: undefined, closed: true });
    await stillServes(url);
  });

  it('truncate: the full headers, a Content-Length of the whole body, half of it, then the close', async () => {
    const { app, port, url } = await listening();
    const whole = await send(`${url}/v3/users`, { headers: { authorization: basic(DEMO.datafiniti) } });
    await fault(app, 'truncate');
    const seen = await exchange(port);
    expect(seen.closed).toBe(true);
    const text = seen.bytes.toString('utf8');
    const head = text.slice(0, text.indexOf('\r\n\r\n'));
    const body = seen.bytes.subarray(Buffer.byteLength(head) + 4);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
    expect(length).toBe(Buffer.byteLength(whole.body));
    expect(body.length).toBe(Math.floor(length / 2));
    expect(body.toString('utf8')).toBe(Buffer.from(whole.body).subarray(0, body.length).toString('utf8'));
    await stillServes(url);
  });

  it('hang: nothing is sent until the client gives up, others are served meanwhile, and the hung connection is released', async () => {
    const { app, port, url } = await listening();
    await fault(app, 'hang');
    const hanging = exchange(port, '', 400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await stillServes(url);
    const seen = await hanging;
    expect(seen).toEqual({ bytes: Buffer.alloc(0), error: undefined, closed: false });
    sockets.at(-1)!.destroy();
    await stillServes(url);
  });

  it.each([
    ['reset', { bytes: Buffer.alloc(0), error: 'ECONNRESET', closed: true }],
    ['empty', { bytes: Buffer.alloc(0), error: undefined, closed: true }],
  ])('Prefer: connection=%s does the same for one request, with no fault set', async (kind, expected) => {
    const { port, url } = await listening();
    expect(await exchange(port, `Prefer: connection=${kind}\r\n`)).toEqual(expected);
    await stillServes(url);
  });

  it('Prefer: connection=truncate, code=503 cuts the error answer in half', async () => {
    const { port } = await listening();
    const seen = await exchange(port, 'Prefer: connection=truncate, code=503\r\n');
    expect(seen.closed).toBe(true);
    expect(seen.bytes.toString('utf8')).toMatch(/^HTTP\/1\.1 503 /);
  });
});

describe('hang and shutdown', () => {
  const running: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((server) => server.close().catch(() => {})));
  });

  it('app.close() releases a hung request: the client sees the connection close with no byte', async () => {
    const { app, port } = await listening();
    const hanging = exchange(port, 'Prefer: connection=hang\r\n', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await app.close();
    expect(await hanging).toEqual({ bytes: Buffer.alloc(0), error: undefined, closed: true });
  });

  it('app.close() does not wait for a connection over which nothing was sent (a client pool’s spare)', async () => {
    const { app, port } = await listening();
    const socket = connect({ port, host: '127.0.0.1' });
    sockets.push(socket);
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.on('close', resolve));
    await new Promise((resolve) => socket.on('connect', resolve));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await app.close();
    await closed;
  });

  it('on SIGTERM with a hung request in flight, the server still exits 0, not at its time limit', async () => {
    const server = await startServer({ host: '127.0.0.1', port: 0, users: 5 });
    running.push(server);
    const signals = new EventEmitter();
    const codes: number[] = [];
    const exited = new Promise<void>((resolve) => {
      closeOnSignals(server, {
        signals,
        timeoutMs: 8_000,
        exit: (code) => {
          codes.push(code);
          resolve();
        },
      });
    });
    const port = Number(new URL(server.url).port);
    const hanging = exchange(port, 'Prefer: connection=hang\r\n', 10_000);
    await new Promise((resolve) => setTimeout(resolve, 150));
    signals.emit('SIGTERM', 'SIGTERM');
    await exited;
    expect(codes).toEqual([0]);
    expect((await hanging).closed).toBe(true);
  });
});
