import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { credentialIdentity, redacted } from '../../src/http/redaction.js';
import { Journal, MAX_JOURNAL_BODY_BYTES } from '../../src/state/journal.js';

/** A full collection, through V8's own flag (vitest runs without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** `levels` arrays, each the only item of the one around it. */
function nested(levels: number): unknown {
  return JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);
}

const request = (url: string, provider: string | null = 'datonis') => ({
  time: Date.parse('2026-03-15T10:20:30.000Z'),
  provider,
  method: 'GET',
  url,
  query: { page: 2 },
  headers: { 'x-auth-token': 'abc' },
  body: { search: 'x'.repeat(20_000) },
  status: 200,
  durationMs: 1.5,
});

describe('Journal', () => {
  it('shows a request recorded from references as a full entry: ISO time, path, copies, bounded body', () => {
    const journal = new Journal(10);
    const recorded = request('/api/v3/users?page=2');
    journal.recordRequest(recorded);
    const [entry] = journal.list();
    expect(entry).toEqual({
      id: 1,
      time: '2026-03-15T10:20:30.000Z',
      provider: 'datonis',
      method: 'GET',
      path: '/api/v3/users',
      query: { page: 2 },
      headers: { 'x-auth-token': redacted('abc') },
      body: { truncated: true, bytes: 20_013 },
      status: 200,
      responseBody: null,
      credential: null,
      durationMs: 1.5,
    });
    expect(entry!.headers).not.toBe(recorded.headers);
  });

  it('filters, limits and drops the oldest alike for both kinds of record', () => {
    const journal = new Journal(3);
    journal.recordRequest(request('/a'));
    journal.record({ ...request('/b'), time: '2026-03-15T10:20:30.000Z', path: '/b', body: null });
    journal.recordRequest(request('/a/1?x=1', 'plaspy'));
    journal.recordRequest(request('/c'));
    expect(journal.list().map((entry) => [entry.id, entry.path])).toEqual([
      [2, '/b'],
      [3, '/a/1'],
      [4, '/c'],
    ]);
    expect(journal.list({ path: '/a*' }).map((entry) => entry.id)).toEqual([3]);
    expect(journal.list({ provider: 'datonis', limit: 1 }).map((entry) => entry.id)).toEqual([4]);
  });

  it('keeps nothing, and numbers nothing, with no capacity', () => {
    const journal = new Journal(0);
    journal.recordRequest(request('/a'));
    expect(journal.list()).toEqual([]);
  });

  it('reduces a large body to its size when it records it, keeping no reference to it', async () => {
    const journal = new Journal(10);
    let body: { search: string } | undefined = { search: 'x'.repeat(1024 * 1024) };
    const kept = new WeakRef(body);
    journal.recordRequest({ ...request('/nowhere'), headers: { 'content-length': '1048589' }, body });
    body = undefined;
    // a WeakRef holds its target until the current job ends
    await new Promise((resolve) => setTimeout(resolve, 0));
    collectGarbage();
    expect(kept.deref() === undefined, 'the body is still referenced').toBe(true);
    expect(journal.list()[0]!.body).toEqual({ truncated: true, bytes: 1_048_589 });
  });

  it('keeps a small body as it was when recorded, not as it is changed later', () => {
    const journal = new Journal(10);
    const body = { search: 'bill' };
    journal.recordRequest({ ...request('/a'), body });
    body.search = 'changed';
    expect(journal.list()[0]!.body).toEqual({ search: 'bill' });
    journal.recordRequest({ ...request('/a'), body: 'plain text' });
    expect(journal.list()[1]!.body).toBe('plain text');
    journal.recordRequest({ ...request('/a'), body: 'y'.repeat(MAX_JOURNAL_BODY_BYTES + 1) });
    expect(journal.list()[2]!.body).toEqual({ truncated: true, bytes: MAX_JOURNAL_BODY_BYTES + 1 });
  });

  it('is read without error whatever the depth of a body, one nested too deep kept as a note', () => {
    const journal = new Journal(10);
    for (const levels of [32, 33, 5000, 100_000]) journal.recordRequest({ ...request('/deep'), headers: {}, body: nested(levels) });
    const entries = journal.list();
    expect(() => JSON.stringify(entries)).not.toThrow();
    expect(entries[0]!.body).toEqual(nested(32));
    for (const entry of entries.slice(1)) expect(entry.body).toEqual({ truncated: true, bytes: null, nestedDeeperThan: 32 });
  });

  it('redacts every secret a request carries, keeping a stable identity of each', () => {
    const journal = new Journal(10);
    const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
    const headers = {
      authorization: 'Bearer plaspy-demo-token',
      'proxy-authorization': basic('proxy:hunter2'),
      cookie: 'session=s3cr3t',
      'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A',
      'x-mock-admin-token': 'admin-secret',
      'x-trace': 'kept',
    };
    journal.recordRequest({ ...request('/api/v2/x?key=fb-secret&n=1'), query: { key: 'fb-secret', n: '1' }, headers });
    journal.recordRequest({ ...request('/v3/users'), headers: { authorization: `${basic('AAAX:hunter2')}!` } });
    journal.recordRequest({ ...request('/v3/users'), headers: { authorization: 'Token' } });
    const [first, junk, bare] = journal.list();
    expect(first!.query).toEqual({ key: redacted('fb-secret'), n: '1' });
    expect(first!.headers).toEqual({
      authorization: `Bearer ${redacted('plaspy-demo-token')}`,
      'proxy-authorization': basic('proxy:[redacted]'),
      cookie: redacted('session=s3cr3t'),
      'x-auth-token': redacted('WtUFnj8pvSxVnH9e_xkq7A'),
      'x-mock-admin-token': redacted('admin-secret'),
      'x-trace': 'kept',
    });
    expect(junk!.headers.authorization).toBe(`Basic ${redacted(`${Buffer.from('AAAX:hunter2').toString('base64')}!`)}`);
    expect(bare!.headers.authorization).toBe(redacted('Token'));
    expect(JSON.stringify(journal.list())).not.toMatch(/hunter2|s3cr3t|admin-secret|fb-secret|plaspy-demo-token|WtUFnj8p|aHVudGVyMg/);
    expect(credentialIdentity('plaspy-demo-token')).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(redacted('plaspy-demo-token')).toBe(`[redacted ${credentialIdentity('plaspy-demo-token')}]`);
  });

  it('pages the last N matches and counts them all, by each filter', () => {
    const journal = new Journal(10);
    const token = credentialIdentity('t1');
    journal.recordRequest({ ...request('/a?x=1'), query: { x: '1' }, credential: token });
    journal.recordRequest({ ...request('/a'), method: 'POST', status: 201, credential: token });
    journal.recordRequest({ ...request('/a/b', 'plaspy'), headers: { 'x-trace': 'one', authorization: 'Bearer t1' }, status: 401 });
    journal.recordRequest({ ...request('/a'), credential: credentialIdentity('t2') });
    journal.recordRequest({ ...request('/c', null), status: 404 });
    const page = journal.page({ path: '/a', limit: 2 });
    expect(page.total).toBe(3);
    expect(page.requests.map((entry) => entry.id)).toEqual([2, 4]);
    expect(journal.page({ limit: 10 }).total).toBe(5);
    expect(journal.page({ path: '/zzz', limit: 1 })).toEqual({ total: 0, requests: [], cursor: null });
    expect(journal.count()).toBe(5);
    expect(journal.count({ provider: 'datonis' })).toBe(3);
    expect(journal.count({ path: '/a*' })).toBe(4);
    expect(journal.count({ method: 'POST' })).toBe(1);
    expect(journal.count({ status: 200 })).toBe(2);
    expect(journal.count({ status: 404, provider: 'datonis' })).toBe(0);
    expect(journal.count({ credential: token })).toBe(2);
    expect(journal.count({ credential: token, method: 'GET' })).toBe(1);
    expect(journal.count({ query: { x: '1' } })).toBe(1);
    expect(journal.count({ query: { x: '2' } })).toBe(0);
    expect(journal.count({ query: { page: '2' } })).toBe(4);
    expect(journal.count({ headers: { 'x-trace': 'one' } })).toBe(1);
    expect(journal.count({ headers: { authorization: 'Bearer t1' } })).toBe(1);
    expect(journal.count({ headers: { authorization: `Bearer ${redacted('t1')}` } })).toBe(1);
    expect(journal.count({ headers: { 'x-trace': 'one', authorization: 'Bearer t2' } })).toBe(0);
    expect(journal.list({ provider: 'plaspy' })[0]!.credential).toBeNull();
  });

  it('keeps the answer as sent, bounded as request bodies are', () => {
    const journal = new Journal(10);
    const json = 'application/json; charset=utf-8';
    journal.recordRequest({ ...request('/a'), responseBody: '{"ok":true}', responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: Buffer.from('{"ok":1}'), responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: 'plain', responseType: 'text/plain' });
    journal.recordRequest({ ...request('/a'), responseBody: 'x'.repeat(MAX_JOURNAL_BODY_BYTES + 1), responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: Buffer.alloc(MAX_JOURNAL_BODY_BYTES + 5), responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: `${'['.repeat(5000)}${']'.repeat(5000)}`, responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: '{not json', responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: undefined });
    journal.recordRequest({ ...request('/a'), responseBody: '', responseType: json });
    journal.recordRequest({ ...request('/a'), responseBody: 'x'.repeat(MAX_JOURNAL_BODY_BYTES), responseType: 'text/plain' });
    const bodies = journal.list().map((entry) => entry.responseBody);
    expect(bodies.slice(0, 9)).toEqual([
      { ok: true },
      { ok: 1 },
      'plain',
      { truncated: true, bytes: MAX_JOURNAL_BODY_BYTES + 1 },
      { truncated: true, bytes: MAX_JOURNAL_BODY_BYTES + 5 },
      { truncated: true, bytes: 10_000, nestedDeeperThan: 32 },
      '{not json',
      null,
      null,
    ]);
    expect(bodies[9]).toHaveLength(MAX_JOURNAL_BODY_BYTES);
    expect(() => JSON.stringify(journal.list())).not.toThrow();
  });
});
