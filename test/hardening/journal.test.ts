import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { credentialIdentity, redacted } from '../../src/http/redaction.js';
import { MAX_JOURNAL_BODY_BYTES } from '../../src/state/journal.js';
import { basic, captureLines, makeApp } from '../helpers.js';
import { DEMO } from './arbitraries.js';
import { listening } from './sockets.js';

let open: FastifyInstance | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

/** One request over a new connection; answers the status and the body's text. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

describe('the journal’s bounds, whatever a provider merges into a request', () => {
  it('keeps a Datonis GET’s 1 MB JSON body, merged into its query, as a note of its size, and reads back', { timeout: 120_000 }, async () => {
    const server = await listening();
    open = server.app;
    const body = JSON.stringify({ search: 'x'.repeat(1_000_000), per: 5 });
    const headers = { 'x-auth-token': DEMO.datonis, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    for (let i = 0; i < 8; i++) await send(`${server.url}/api/v3/users?n=${i}`, { headers, body });
    const read = await send(`${server.url}/__mock/requests?provider=datonis`);
    expect(read.status).toBe(200);
    // 8 entries, each part within 16 KB: far below one of the bodies sent
    expect(read.body.length).toBeLessThan(8 * 4 * MAX_JOURNAL_BODY_BYTES);
    const { requests } = JSON.parse(read.body) as { requests: { query: unknown; body: unknown }[] };
    expect(requests).toHaveLength(8);
    for (const entry of requests) {
      expect(JSON.stringify(entry.query).length).toBeLessThanOrEqual(MAX_JOURNAL_BODY_BYTES);
      expect(entry.query).toMatchObject({ truncated: true });
      expect(entry.body).toEqual({ truncated: true, bytes: Buffer.byteLength(body) });
    }
    const counted = await send(`${server.url}/__mock/requests/count?query.search=x`);
    expect(JSON.parse(counted.body)).toEqual({ count: 0 });
  });
});

describe('reading the journal in pages', () => {
  it('answers the last 100 by default, at most 1,000 a page, and walks every entry back through its cursor', async () => {
    const app = await makeApp({ journalSize: 250 });
    open = app;
    for (let i = 1; i <= 250; i++) await app.inject({ url: `/api/users?n=${i}` });
    const first = (await app.inject({ url: '/__mock/requests' })).json();
    expect(first.total).toBe(250);
    expect(first.requests).toHaveLength(100);
    expect(first.requests[99].query.n).toBe('250');
    expect((await app.inject({ url: '/__mock/requests?limit=1001' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/__mock/requests?cursor=0' })).statusCode).toBe(400);
    const seen: string[] = [];
    let cursor: number | null = null;
    for (let page = 0; page < 10; page++) {
      const answer: { requests: { query: { n: string } }[]; cursor: number | null } = (await app.inject({ url: `/__mock/requests?limit=90${cursor === null ? '' : `&cursor=${cursor}`}` })).json();
      seen.unshift(...answer.requests.map((entry) => entry.query.n));
      cursor = answer.cursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => String(i + 1)));
    const filtered = (await app.inject({ url: '/__mock/requests?limit=2&path=/api/users' })).json();
    expect(filtered.requests.map((entry: { query: { n: string } }) => entry.query.n)).toEqual(['249', '250']);
    expect(filtered.cursor).toBe(filtered.requests[0].id);
  });
});

describe('a credential redacted wherever the provider reads it from', () => {
  const fingerbankKey = DEMO.fingerbankUser;

  it('in the journal and the log line: a key in the path, under a percent-encoded name, a token as a Basic user', async () => {
    const { lines, stream } = captureLines();
    const server = await listening({ logLevel: 'info', logFormat: 'json', logStream: stream });
    open = server.app;
    const datafiniti = basic(DEMO.datafiniti);
    expect((await send(`${server.url}/api/v2/users/account_info/${fingerbankKey}`)).status).toBe(200);
    expect((await send(`${server.url}/api/v2/users/account_info?%6Bey=${fingerbankKey}`)).status).toBe(200);
    expect((await send(`${server.url}/api/v2/users/account_info/${encodeURIComponent(fingerbankKey).replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`)}`)).status).toBe(200);
    expect((await send(`${server.url}/v3/users`, { headers: { authorization: datafiniti } })).status).toBe(200);
    const read = await send(`${server.url}/__mock/requests`);
    const logged = lines.join('\n');
    const base64 = datafiniti.slice('Basic '.length);
    for (const text of [read.body, logged]) {
      expect(text).not.toContain(fingerbankKey);
      expect(text).not.toContain(fingerbankKey.slice(1));
      expect(text).not.toContain(base64);
    }
    const requests = JSON.parse(read.body).requests as { path: string; query: Record<string, unknown>; headers: Record<string, unknown>; credential: string }[];
    expect(requests.map((entry) => entry.credential)).toEqual([
      credentialIdentity(fingerbankKey),
      credentialIdentity(fingerbankKey),
      credentialIdentity(fingerbankKey),
      credentialIdentity(DEMO.datafiniti),
    ]);
    expect(requests[0]!.path).toBe(`/api/v2/users/account_info/${redacted(fingerbankKey)}`);
    expect(requests[1]!.query).toEqual({ key: redacted(fingerbankKey) });
    expect(requests[3]!.headers.authorization).toBe(`Basic ${redacted(DEMO.datafiniti)}`);
    const urls = lines.map((line) => (JSON.parse(line) as { url?: string }).url).filter((url) => url !== undefined);
    expect(urls.slice(0, 2)).toEqual([
      `/api/v2/users/account_info/${redacted(fingerbankKey)}`,
      `/api/v2/users/account_info?%6Bey=${redacted(fingerbankKey)}`,
    ]);
    // the secret as sent still finds them
    const count = async (query: string) => JSON.parse((await send(`${server.url}/__mock/requests/count?${query}`)).body).count as number;
    expect(await count(`credential=${fingerbankKey}`)).toBe(3);
    expect(await count(`query.key=${fingerbankKey}`)).toBe(1);
    expect(await count(`path=/api/v2/users/account_info/${fingerbankKey}`)).toBe(1);
    // the key in the path as sent, and percent-encoded, show as one redacted path
    expect(await count(`path=${encodeURIComponent(`/api/v2/users/account_info/${redacted(fingerbankKey)}`)}`)).toBe(2);
    expect(await count(`header.authorization=${encodeURIComponent(datafiniti)}`)).toBe(1);
  });
});
