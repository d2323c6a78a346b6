import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/control/limits.js';
import { errorFormatProblem } from './formats.js';
import { listening } from './sockets.js';

const USERS = '/__mock/plaspy/accounts/plaspy-demo-token/users';

function write(url: string, method: string, path: string, body: unknown) {
  return fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function refusal(response: Response): Promise<string> {
  expect(response.status).toBe(422);
  const body = (await response.json()) as { message: string };
  expect(errorFormatProblem('control', 422, body)).toBeUndefined();
  return body.message;
}

describe('the sizes the control plane stores', () => {
  it('refuses a field larger than 16 KB with a 422 naming it, on create and on change, and stores nothing of it', async () => {
    const { url } = await listening();
    const huge = 'd'.repeat(1_000_000);
    expect(await refusal(await write(url, 'POST', USERS, { description: huge }))).toBe(
      "Field 'description' takes 1000002 bytes as JSON; a stored field takes at most 16384",
    );
    const created = await write(url, 'POST', USERS, { description: 'short' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await refusal(await write(url, 'PATCH', `${USERS}/${id}`, { tags: { big: huge } }))).toMatch(/^Field 'tags' takes \d+ bytes/);
    const user = (await (await fetch(`${url}${USERS}/${id}`)).json()) as { description: string; tags: object };
    expect(user.description).toBe('short');
    expect(JSON.stringify(user.tags).length).toBeLessThan(1000);
    // bytes as sent, not characters
    expect(await refusal(await write(url, 'POST', '/__mock/datafiniti/accounts', { first_name: 'é'.repeat(9_000) }))).toMatch(/^Field 'first_name' takes 18002 bytes/);
  });

  it('bounds the bytes written into one account: beyond, a 422 naming the account; its list still answers; another account and a reset make room', async () => {
    const { url } = await listening({ controlLimits: { accountBytes: 100_000 } });
    const description = 'd'.repeat(16_000);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await write(url, 'POST', USERS, { description })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201, 201, 422, 422]);
    expect(await refusal(await write(url, 'POST', USERS, { description }))).toMatch(
      /^The control plane writes at most 100000 bytes of fields into one Plaspy account between resets, and has written 96012 into 'plaspy-demo-token'; POST \/__mock\/reset starts again$/,
    );
    const list = await fetch(`${url}/api/users`, { headers: { authorization: 'Bearer plaspy-demo-token' } });
    expect(list.status).toBe(200);
    const other = await write(url, 'POST', '/__mock/plaspy/accounts', {});
    const { token } = (await other.json()) as { token: string };
    expect((await write(url, 'POST', `/__mock/plaspy/accounts/${token}/users`, { description })).status).toBe(201);
    expect((await fetch(`${url}/__mock/reset`, { method: 'POST' })).status).toBe(200);
    expect((await write(url, 'POST', USERS, { description })).status).toBe(201);
  });

  it('bounds the bytes written into one provider in all, however many accounts carry them; a reset makes room', async () => {
    const { url } = await listening({ controlLimits: { providerBytes: 50_000 } });
    const first_name = 'f'.repeat(16_000);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await write(url, 'POST', '/__mock/datafiniti/accounts', { first_name })).status);
    expect(statuses).toEqual([201, 201, 201, 422, 422]);
    expect(await refusal(await write(url, 'POST', '/__mock/datafiniti/accounts', { first_name }))).toBe(
      "The control plane writes at most 50000 bytes of fields into Datafiniti's records between resets, and has written 48006; POST /__mock/reset starts again",
    );
    // another provider's bytes are its own
    expect((await write(url, 'POST', USERS, { description: first_name })).status).toBe(201);
    expect((await fetch(`${url}/__mock/reset`, { method: 'POST' })).status).toBe(200);
    expect((await write(url, 'POST', '/__mock/datafiniti/accounts', { first_name })).status).toBe(201);
  });

  it('defaults to 16 KB a field, 8 MB an account and 64 MB a provider', () => {
    expect(DEFAULT_LIMITS.fieldBytes).toBe(16_384);
    expect(DEFAULT_LIMITS.accountBytes).toBe(8 * 1024 * 1024);
    expect(DEFAULT_LIMITS.providerBytes).toBe(64 * 1024 * 1024);
  });
});
