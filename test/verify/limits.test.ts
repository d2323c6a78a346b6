import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMock } from '../../src/mock.js';
import { DEFAULT_MAX_ANSWER_BYTES } from '../../src/verify/http.js';
import { run, startRawService } from './stand-in.js';

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n';

/** Headers, then one byte of a chunked body every 5 s: the socket is never idle long enough to time out. */
function drip(socket: Socket): void {
  socket.write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n1\r\n[\r\n`);
  let sent = 0;
  const timer = setInterval(() => (++sent > 60 || socket.destroyed ? clearInterval(timer) : socket.write('1\r\n \r\n')), 5_000);
  socket.on('close', () => clearInterval(timer));
}

/** A chunked body that never ends: 64 KiB chunks, each as soon as the last is taken, at most 2 GiB. */
function endless(socket: Socket): void {
  socket.write(`${HEAD}Transfer-Encoding: chunked\r\n\r\n`);
  const chunk = `10000\r\n${' '.repeat(0x10000)}\r\n`;
  let sent = 0;
  const more = () => {
    while (!socket.destroyed && sent++ < 32_768) if (!socket.write(chunk)) return void socket.once('drain', more);
  };
  more();
}

const answering = (raw: string) => (socket: Socket) => socket.end(raw);

describe('a run always ends: exit 2 with the reason', () => {
  it.each([
    ['verify', ['verify', 'fingerbank']],
    ['record', ['record', 'plaspy', '--out', join(tmpdir(), 'provider-mock-never-written')]],
  ])('%s: a body that drips one byte every 5 s stops at --timeout', async (_command, argv) => {
    const service = await startRawService(drip);
    try {
      const started = Date.now();
      const { code, stderr } = await run([...argv, '--base-url', service.url, '--credential', 'key-1234', '--timeout', '1']);
      expect(code).toBe(2);
      expect(stderr).toMatch(/could not run: the run went past its --timeout of 1 s: GET \/api\/[^ ]* had sent \d+ bytes of its answer by then\n$/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      await service.close();
    }
  });

  it('an endless chunked body stops at --max-answer-bytes, and at 32 MiB without it', async () => {
    const service = await startRawService(endless);
    try {
      const limited = await run(['verify', 'datafiniti', '--base-url', service.url, '--credential', 'key-1234', '--max-answer-bytes', '1000000']);
      expect(limited.code).toBe(2);
      expect(limited.stderr).toContain('GET /v3/users: the answer went past 1000000 bytes (--max-answer-bytes) without ending');
      const unlimited = await run(['verify', 'datafiniti', '--base-url', service.url, '--credential', 'key-1234']);
      expect(unlimited.code).toBe(2);
      expect(unlimited.stderr).toContain(`went past ${DEFAULT_MAX_ANSWER_BYTES} bytes`);
    } finally {
      await service.close();
    }
  });

  it('refuses --timeout and --max-answer-bytes out of range, naming an example', async () => {
    for (const [flag, value] of [['--timeout', '0'], ['--timeout', 'soon'], ['--max-answer-bytes', '0'], ['--max-answer-bytes', '1e3']]) {
      const { code, stderr } = await run(['verify', 'plaspy', '--base-url', 'http://127.0.0.1:1', '--credential', 'x', flag!, value!]);
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`${flag}: .*\\(e\\.g\\. ${flag} \\d+\\), not '${value}'`));
    }
  });
});

describe('an answer that is not HTTP: what the service sent, not "unreachable"', () => {
  it.each([
    ['a Content-Length of 10 GB', `${HEAD}Content-Length: 10737418240\r\n\r\n[]`, 'GET /v3/users: the service announced an answer of 10737418240 bytes (Content-Length), over the limit of 33554432'],
    ['an invalid header value', `${HEAD}X-Trace: a\u0001b\r\nContent-Length: 2\r\n\r\n[]`, 'GET /v3/users: the service sent an answer that is not valid HTTP (Invalid header value char, HPE_INVALID_HEADER_TOKEN): "HTTP/1.1 200 OK\\r\\n'],
    ['a Content-Length past 2^64', `${HEAD}Content-Length: 99999999999999999999999\r\n\r\n[]`, 'not valid HTTP (Content-Length overflow, HPE_INVALID_CONTENT_LENGTH)'],
    ['a body cut short', `${HEAD}Content-Length: 100\r\n\r\n[{"tok`, 'GET /v3/users: the service closed the connection after 6 bytes of the answer of the 100 it announced'],
  ])('%s', async (_name, raw, reason) => {
    const service = await startRawService(answering(raw));
    try {
      const { code, stdout, stderr } = await run(['verify', 'datafiniti', '--base-url', service.url, '--credential', 'key-1234']);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(reason);
      expect(stderr).not.toContain('unreachable');
      expect(stderr.split('\n')).toHaveLength(2);
    } finally {
      await service.close();
    }
  });
});

describe('an --out that cannot be written: exit 2, one line, no request spent', () => {
  let live: MockServer;
  let dir: string;
  beforeAll(async () => {
    live = await startMock({ users: 0 });
    dir = mkdtempSync(join(tmpdir(), 'provider-mock-out-'));
    writeFileSync(join(dir, 'a-file'), '');
  });
  afterAll(async () => {
    await live.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const token = () => live.app.mock.storeOf('datafiniti').demoCredentials()[0]!.value;

  it.each([
    ['a missing folder', () => join(dir, 'missing', 'report.txt'), 'ENOENT'],
    ['a folder', () => dir, 'EISDIR'],
    ['under a file', () => join(dir, 'a-file', 'report.txt'), 'ENOTDIR'],
  ])('verify --out %s', async (_name, out, code) => {
    const before = await live.control.count();
    const result = await run(['verify', 'datafiniti', '--base-url', live.url, '--credential', token(), '--out', out()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`provider-mock verify: could not run: --out: cannot write ${out()} (${code})\n`);
    expect(await live.control.count()).toBe(before);
  });

  it('record --out under a file', async () => {
    const out = join(dir, 'a-file');
    const result = await run(['record', 'datafiniti', '--base-url', live.url, '--credential', token(), '--out', out, '--as', 'recorded-as']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`provider-mock record: could not run: --out: cannot write ${join(out, 'datafiniti', 'accounts.json')} (ENOTDIR)\n`);
    expect(readdirSync(dir)).toEqual(['a-file']);
  });
});
