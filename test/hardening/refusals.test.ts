import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { captureLines, memoryState } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { errorFormatProblem } from './formats.js';
import { type RawResponse, listening, parseResponse, rawExchange } from './sockets.js';

const basicDemo = `Basic ${Buffer.from(`${DEMO.datafiniti}:`).toString('base64')}`;

/**
 * Sends a request in one write and reads nothing until the write is done (or refused), as curl
 * does: an answer the server sends before closing the connection on unread bytes is then lost.
 */
function sendThenRead(port: number, data: Buffer): Promise<RawResponse & { error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    socket.pause();
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (problem: NodeJS.ErrnoException) => {
      error ??= problem.code;
    });
    socket.on('close', () => resolve({ ...parseResponse(Buffer.concat(chunks).toString('utf8')), error }));
    socket.write(data, () => socket.resume());
    setTimeout(() => socket.resume(), 500);
  });
}

const capture = captureLines;

describe('refusals before any route', () => {
  it('an HTTP/1.1 request without Host is a 400 in the owner’s format, journaled', async () => {
    const { app, port } = await listening();
    const response = await rawExchange(port, `GET /v3/users HTTP/1.1\r\nAuthorization: ${basicDemo}\r\nConnection: close\r\n\r\n`);
    expect(response.status).toBe(400);
    expect(errorFormatProblem('datafiniti', 400, JSON.parse(response.body))).toBeUndefined();
    expect(JSON.parse(response.body).message).toMatch(/Host/);
    expect(memoryState(app).journal.list().map((entry) => [entry.provider, entry.path, entry.status])).toEqual([['datafiniti', '/v3/users', 400]]);
    // HTTP/1.0 needs none
    const old = await rawExchange(port, `GET /v3/users HTTP/1.0\r\nAuthorization: ${basicDemo}\r\n\r\n`);
    expect(old.status).toBe(200);
  });

  it('an Expect the mock cannot meet is a 417 in the owner’s format, journaled', async () => {
    const { app, port } = await listening();
    const response = await rawExchange(port, `GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n`);
    expect(response.status).toBe(417);
    expect(errorFormatProblem('plaspy', 417, JSON.parse(response.body))).toBeUndefined();
    expect(memoryState(app).journal.list().map((entry) => [entry.provider, entry.status])).toEqual([['plaspy', 417]]);
  });

  it('CONNECT is answered, in JSON, and journaled', async () => {
    const { app, port } = await listening();
    const response = await rawExchange(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(response.status).toBe(405);
    expect(errorFormatProblem('neutral', 405, JSON.parse(response.body))).toBeUndefined();
    expect(memoryState(app).journal.list().map((entry) => [entry.method, entry.path, entry.status])).toEqual([['CONNECT', 'example.com:443', 405]]);
  });

  it('a URL over 8 KB is a 431 in the format of the path’s owner, journaled and logged', async () => {
    const { lines, stream } = capture();
    const { app, port } = await listening({ logLevel: 'info', logFormat: 'json', logStream: stream });
    const response = await rawExchange(port, `GET /api/v3/users?search=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(response.status).toBe(431);
    expect(errorFormatProblem('datonis', 431, JSON.parse(response.body))).toBeUndefined();
    expect(memoryState(app).journal.list().map((entry) => [entry.provider, entry.path, entry.status])).toEqual([['datonis', '/api/v3/users', 431]]);
    expect(lines.map((line) => JSON.parse(line) as { status?: number; provider?: string }).filter((line) => line.status === 431)).toEqual([
      expect.objectContaining({ provider: 'datonis', method: 'GET' }),
    ]);
  });

  it('malformed URLs and overlong path segments are journaled', async () => {
    const { app, port } = await listening();
    await rawExchange(port, 'GET /api/users/%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await rawExchange(port, `GET /api/v2/users/account_info/${'k'.repeat(1100)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(memoryState(app).journal.list().map((entry) => [entry.provider, entry.status])).toEqual([
      ['plaspy', 400],
      ['fingerbank', 414],
    ]);
  });

  it('a body over the limit sent in one write is answered 413, 10 times in 10, to a client that reads only once it has written', async () => {
    const { port } = await listening();
    const body = Buffer.alloc(8 * 1024 * 1024, 'a');
    for (const path of ['/__mock/plaspy/accounts', '/nowhere', '/v3/users']) {
      for (let i = 0; i < (path === '/__mock/plaspy/accounts' ? 10 : 2); i++) {
        const head = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
        const response = await sendThenRead(port, Buffer.concat([Buffer.from(head), body]));
        expect(response.status, `${path} ${i}: ${response.error ?? ''}`).toBe(413);
      }
    }
  });

  it('after a 413, the rest of the body is read and dropped, and the connection serves the next request', async () => {
    const { port } = await listening();
    const body = Buffer.alloc(2 * 1024 * 1024, 'a');
    const head = `POST /__mock/plaspy/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const next = `GET /v3/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${basicDemo}\r\nConnection: close\r\n\r\n`;
    const response = await sendThenRead(port, Buffer.concat([Buffer.from(head), body, Buffer.from(next)]));
    expect(response.status).toBe(413);
    expect([...response.body.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((match) => match[1])).toEqual(['200']);
  });

  it('a chunked Datonis GET body over the limit is a 413 in the Datonis format, without a reset', async () => {
    const { port } = await listening();
    const piece = Buffer.alloc(64 * 1024, 'a');
    const parts = [
      Buffer.from(`GET /api/v3/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: ${DEMO.datonis}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`),
    ];
    for (let i = 0; i < 32; i++) parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
    parts.push(Buffer.from('0\r\n\r\n'));
    const response = await sendThenRead(port, Buffer.concat(parts));
    expect(response.error).toBeUndefined();
    expect(response.status).toBe(413);
    expect(errorFormatProblem('datonis', 413, JSON.parse(response.body))).toBeUndefined();
  });
});
