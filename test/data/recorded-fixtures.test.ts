import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromEnvironment, resolveConfig } from '../../src/config.js';
import { readFixture } from '../../src/data/fixtures.js';
import type { User } from '../../src/providers/fingerbank/schemas.js';
import { makeApp } from '../helpers.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function folderWith(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'provider-mock-recorded-'));
  folders.push(dir);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(content));
  }
  return dir;
}

describe('recorded fixtures (--fixtures, MOCK_FIXTURES)', () => {
  it('is a setting read from MOCK_FIXTURES', () => {
    expect(resolveConfig(configFromEnvironment({ MOCK_FIXTURES: '/some/dir' })).fixtures).toBe('/some/dir');
    expect(resolveConfig({}).fixtures).toBeUndefined();
  });

  it('serves a recorded account beside the documented ones, its counters from the recorded figures', async () => {
    const [documented] = readFixture<User[]>('fingerbank/accounts.json');
    const recorded = { ...documented!, id: 77, name: 'recorded', key: 'f'.repeat(40), requests: 900, monthly_requests: 90, timeframed_requests: 9 };
    const app = await makeApp({ fixtures: folderWith({ 'fingerbank/accounts.json': [recorded] }) });
    const mine = await app.inject({ url: '/api/v2/users/account_info', headers: { authorization: `Bearer ${recorded.key}` } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({ ...recorded, requests: 901, monthly_requests: 91, timeframed_requests: 10 });
    const theirs = await app.inject({ url: `/api/v2/users/account_info?key=${documented!.key}` });
    expect(theirs.json()).toMatchObject({ name: documented!.name });
  });

  it('leaves a provider without a recorded file as it was', async () => {
    const app = await makeApp({ fixtures: folderWith({}) });
    const answer = await app.inject({ url: '/v3/users', headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` } });
    expect(answer.statusCode).toBe(200);
  });

  it('refuses a folder that does not exist', async () => {
    await expect(makeApp({ fixtures: join(tmpdir(), 'provider-mock-no-such-folder') })).rejects.toThrow(/no folder/);
  });
});
