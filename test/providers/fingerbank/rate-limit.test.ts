import { describe, expect, it } from 'vitest';
import { makeApp, manualClock } from '../../helpers.js';
import { ADMIN_KEY, BOB_KEY, MESSAGES, PATH } from './accounts.js';

const BOB = `${PATH}/${BOB_KEY}`;

describe('Fingerbank rate limit: 250 requests per minute per key', () => {
  it('answers the 251st request of a window with the documented 429 and counts no usage for it', async () => {
    const clock = manualClock();
    const app = await makeApp({ clock });
    for (let i = 1; i <= 250; i++) {
      const response = await app.inject({ url: BOB });
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBe('250');
      expect(response.headers['x-ratelimit-remaining']).toBe(String(250 - i));
      expect(response.headers['x-ratelimit-reset']).toBe('60');
    }
    clock.advance(15_500);
    const limited = await app.inject({ url: BOB });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ message: MESSAGES[429] });
    expect(limited.headers['retry-after']).toBe('45');
    expect(limited.headers['x-ratelimit-limit']).toBe('250');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(limited.headers['x-ratelimit-reset']).toBe('45');

    clock.advance(44_500);
    const reopened = await app.inject({ url: BOB });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json().requests).toBe(1511 + 251);
    expect(reopened.headers['x-ratelimit-remaining']).toBe('249');
  });

  it('opens a new window 60 s after the key’s first request, not at the clock’s minute', async () => {
    const clock = manualClock(Date.parse('2026-03-15T10:20:30.000Z'));
    const app = await makeApp({ clock });
    for (let i = 0; i < 250; i++) await app.inject({ url: BOB });
    clock.set(Date.parse('2026-03-15T10:21:00.000Z'));
    const afterMinute = await app.inject({ url: BOB });
    expect(afterMinute.statusCode).toBe(429);
    expect(afterMinute.headers['retry-after']).toBe('30');
    clock.set(Date.parse('2026-03-15T10:21:29.999Z'));
    expect((await app.inject({ url: BOB })).statusCode).toBe(429);
    clock.set(Date.parse('2026-03-15T10:21:30.000Z'));
    expect((await app.inject({ url: BOB })).statusCode).toBe(200);
  });

  it('keeps one window per key, whichever way the key is sent', async () => {
    const clock = manualClock();
    const app = await makeApp({ clock });
    for (let i = 0; i < 125; i++) await app.inject({ url: `${PATH}?key=${BOB_KEY}` });
    for (let i = 0; i < 125; i++) await app.inject({ url: PATH, headers: { authorization: `Bearer ${BOB_KEY}` } });
    expect((await app.inject({ url: BOB })).statusCode).toBe(429);
    const admin = await app.inject({ url: PATH, headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(admin.statusCode).toBe(200);
    expect(admin.headers['x-ratelimit-remaining']).toBe('249');
  });

  it('is not consumed by rejected credentials', async () => {
    const clock = manualClock();
    const app = await makeApp({ clock });
    for (let i = 0; i < 300; i++) {
      expect((await app.inject({ url: `${PATH}/${'f'.repeat(40)}` })).statusCode).toBe(401);
    }
    const response = await app.inject({ url: BOB });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-remaining']).toBe('249');
  });

  it('starts every window again on reset', async () => {
    const clock = manualClock();
    const app = await makeApp({ clock });
    for (let i = 0; i < 250; i++) await app.inject({ url: BOB });
    expect((await app.inject({ url: BOB })).statusCode).toBe(429);
    app.mock.reset();
    const response = await app.inject({ url: BOB });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-remaining']).toBe('249');
  });

  it('stays exact under concurrent requests', async () => {
    const clock = manualClock();
    const app = await makeApp({ clock });
    const responses = await Promise.all(Array.from({ length: 260 }, () => app.inject({ url: BOB })));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 200)).toHaveLength(250);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const requests = responses.filter((response) => response.statusCode === 200).map((r) => r.json().requests);
    expect(new Set(requests).size).toBe(250);
    expect(Math.max(...requests)).toBe(1511 + 250);
  });
});
