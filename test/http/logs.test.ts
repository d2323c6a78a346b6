import { describe, expect, it } from 'vitest';
import { redacted } from '../../src/http/redaction.js';
import { basic, captureLines, makeApp } from '../helpers.js';

const capture = captureLines;

describe('request logs', () => {
  it('are one readable line per request in the pretty format', async () => {
    const { lines, stream } = capture();
    const app = await makeApp({ logLevel: 'info', logFormat: 'pretty', logStream: stream });
    await app.inject({ url: '/v3/users', headers: { authorization: basic('AAAXXXXXXXXXXXX') } });
    await app.inject({ url: '/api/users' });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO GET \/v3\/users 200 datafiniti [\d.]+ ms$/);
    expect(lines[1]).toMatch(/ INFO GET \/api\/users 401 plaspy [\d.]+ ms$/);
  });

  it('are JSON objects with the same fields in the json format', async () => {
    const { lines, stream } = capture();
    const app = await makeApp({ logLevel: 'info', logFormat: 'json', logStream: stream });
    await app.inject({ url: '/api/v3/users' });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 30, method: 'GET', url: '/api/v3/users', provider: 'datonis', status: 401 });
    expect(typeof entry.durationMs).toBe('number');
  });

  it('are silent at the silent level', async () => {
    const { lines, stream } = capture();
    const app = await makeApp({ logLevel: 'silent', logStream: stream });
    await app.inject({ url: '/v3/users' });
    expect(lines).toEqual([]);
  });

  it('never carry a credential sent in the query string', async () => {
    const { lines, stream } = capture();
    const app = await makeApp({ logLevel: 'info', logFormat: 'json', logStream: stream });
    const key = '9e1808205b91362f9e3543aa4cea406e4aeedc69';
    await app.inject({ url: `/api/v2/users/account_info?key=${key}` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(key);
    expect(JSON.parse(lines[0]!).url).toBe(`/api/v2/users/account_info?key=${redacted(key)}`);
  });
});
