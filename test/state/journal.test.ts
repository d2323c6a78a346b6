import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/state/journal.js';

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
      headers: { 'x-auth-token': 'abc' },
      body: { truncated: true, bytes: 20_013 },
      status: 200,
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
});
