import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMock } from '../../src/mock.js';
import { type Exchange, closedPort, run, startStandIn } from './stand-in.js';

/** The "real" credentials of the source mock: none of them may reach the disk. */
const REAL = {
  datafiniti: 'AAAXXXXXXXXXXXX',
  fingerbank: 'c0ffee'.padEnd(40, '7'),
  plaspy: 'real-plaspy-token-5f1e',
  datonis: 'RealDatonisToken_9xQ',
};
const AS = { datafiniti: 'as-datafiniti', fingerbank: 'as-fingerbank', datonis: 'as-datonis' };

let source: MockServer;
let replay: MockServer;
let dir: string;
let plaspyAs: string;

async function get(server: MockServer, path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const answer = await fetch(`${server.url}${path}`, { headers });
  return { status: answer.status, body: await answer.json() };
}

const basic = (token: string) => ({ Authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
const xAuth = (token: string) => ({ 'X-Auth-Token': token });

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

beforeAll(async () => {
  source = await startMock({ users: 0 });
  await source.control.updateAccount('datafiniti', REAL.datafiniti, { organization: 'Changed Corp', available_downloads: 4200 });
  await source.control.createAccount('fingerbank', {
    key: REAL.fingerbank,
    name: 'real',
    display_name: 'Real Person',
    email: 'real@example.com',
    requests: 5000,
    monthly_requests: 300,
    timeframed_requests: 7,
  });
  await source.control.createAccount('plaspy', { token: REAL.plaspy, label: 'Real fleet', apiUsage: 1000, apiDailyUsage: 20 });
  await source.control.generateUsers('plaspy', REAL.plaspy, 12);
  await source.control.createAccount('datonis', { organisation_key: 'realorg', name: 'Real Org', tokens: [REAL.datonis] });
  expect(await source.control.generateUsers('datonis', 'realorg', 300)).toBe(300);

  dir = mkdtempSync(join(tmpdir(), 'provider-mock-record-'));
  for (const slug of ['datafiniti', 'fingerbank', 'datonis'] as const) {
    const recorded = await run(['record', slug, '--base-url', source.url, '--credential', REAL[slug], '--out', dir, '--as', AS[slug]]);
    expect(recorded.stderr).toBe('');
    expect(recorded.code).toBe(0);
  }
  const plaspy = await run(['record', 'plaspy', '--base-url', source.url, '--credential', REAL.plaspy, '--out', dir]);
  expect(plaspy.code).toBe(0);
  plaspyAs = /generated credential: (\S+)/.exec(plaspy.stdout)![1]!;
  replay = await startMock({ users: 0, fixtures: dir });
});

afterAll(async () => {
  await Promise.all([source?.close(), replay?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('record, then serve with --fixtures under the --as credential', () => {
  it('writes one file per provider in the fixtures layout', () => {
    expect(filesUnder(dir).map((file) => file.slice(dir.length + 1)).sort()).toEqual([
      'datafiniti/accounts.json',
      'datonis/accounts.json',
      'fingerbank/accounts.json',
      'plaspy/accounts.json',
    ]);
  });

  it('leaves no trace of the real credentials in the recorded files', () => {
    for (const file of filesUnder(dir)) {
      const text = readFileSync(file, 'utf8');
      for (const credential of Object.values(REAL)) {
        expect(text, file).not.toContain(credential);
        expect(text, file).not.toContain(Buffer.from(`${credential}:`).toString('base64'));
      }
    }
  });

  it('Datafiniti: the changed account', async () => {
    const real = await get(source, '/v3/users', basic(REAL.datafiniti));
    const served = await get(replay, '/v3/users', basic(AS.datafiniti));
    expect(served.status).toBe(200);
    expect((real.body as object[])[0]).toMatchObject({ organization: 'Changed Corp', available_downloads: 4200 });
    expect(served.body).toEqual((real.body as object[]).map((account) => ({ ...account, token: AS.datafiniti })));
  });

  it('Fingerbank: the account, its counters going on from the recorded figures', async () => {
    const real = await get(source, '/api/v2/users/account_info', bearer(REAL.fingerbank));
    const served = await get(replay, '/api/v2/users/account_info', bearer(AS.fingerbank));
    expect(real.body).toMatchObject({ display_name: 'Real Person', requests: 5002, monthly_requests: 302, timeframed_requests: 9 });
    expect(served.body).toEqual({ ...(real.body as object), key: AS.fingerbank });
  });

  it('Plaspy: the account\'s users and usage, under the generated credential printed', async () => {
    expect(plaspyAs).toMatch(/^[0-9a-f]{40}$/);
    const real = await get(source, '/api/users', bearer(REAL.plaspy));
    const served = await get(replay, '/api/users', bearer(plaspyAs));
    expect(served.status).toBe(200);
    expect((served.body as { users: unknown[] }).users).toHaveLength(12);
    expect(served.body).toEqual(real.body);
    const id = (real.body as { users: { id: string }[] }).users[3]!.id;
    expect(await get(replay, `/api/users/${id}`, bearer(plaspyAs))).toEqual(await get(source, `/api/users/${id}`, bearer(REAL.plaspy)));
  });

  it('Datonis: the organisation of 300 users, page by page, ordered and searched', async () => {
    const queries = [
      ...[1, 2, 3, 4].map((page) => `per=100&page=${page}`),
      'order_by=first_name&order=desc&per=50',
      'order_by=created_at&per=20&page=3&timestamp_format=str',
    ];
    const first = await get(source, '/api/v3/users?per=1', xAuth(REAL.datonis));
    const name = (first.body as { users: { first_name: string }[] }).users[0]!.first_name;
    queries.push(`search=${encodeURIComponent(name)}`);
    for (const query of queries) {
      const real = await get(source, `/api/v3/users?${query}`, xAuth(REAL.datonis));
      const served = await get(replay, `/api/v3/users?${query}`, xAuth(AS.datonis));
      expect(served, query).toEqual(real);
    }
    expect((first.body as { total_count: number }).total_count).toBe(300);
  });

  it('keeps serving the documented accounts beside the recorded ones', async () => {
    expect((await get(replay, '/api/v3/users', xAuth('WtUFnj8pvSxVnH9e_xkq7A'))).body).toMatchObject({ total_count: 3 });
  });
});

describe('record bounds and refusals', () => {
  it('reads no more than --max-users users', async () => {
    const small = mkdtempSync(join(tmpdir(), 'provider-mock-record-'));
    try {
      const recorded = await run(['record', 'datonis', '--base-url', source.url, '--credential', REAL.datonis, '--out', small, '--max-users', '150']);
      expect(recorded.code).toBe(0);
      expect(recorded.stdout).toContain('recorded 150 of 300 users');
      const [organisation] = JSON.parse(readFileSync(join(small, 'datonis/accounts.json'), 'utf8')) as { users: unknown[] }[];
      expect(organisation!.users).toHaveLength(150);
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });

  it.each([
    [['record', 'plaspy', '--base-url', 'http://127.0.0.1:1', '--credential', 'x'], /missing --out/],
    [['record', 'plaspy', '--base-url', 'http://127.0.0.1:1', '--credential', 'x', '--out', '/tmp/x', '--max-users', '0'], /--max-users/],
    [['record', 'plaspy', '--base-url', 'http://127.0.0.1:1', '--credential', 'x', '--out', '/tmp/x', '--as', 'x'], /--as must be another credential/],
  ])('exits 2 on bad arguments %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 2 when the service is unreachable or refuses the credential, and writes nothing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'provider-mock-record-'));
    try {
      const port = await closedPort();
      const closed = await run(['record', 'fingerbank', '--base-url', `http://127.0.0.1:${port}`, '--credential', 'k', '--out', empty]);
      expect(closed.code).toBe(2);
      expect(closed.stderr).toContain('unreachable');
      const refused = await run(['record', 'datonis', '--base-url', source.url, '--credential', 'wrong', '--out', empty]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/refused the credential on GET \/api\/v3\/users \(401\)/);
      expect(filesUnder(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it.each([
    ['plaspy', 'apiUsage', '"lots"', /\/accounts\/0\/apiUsage must be integer, the service sent string "lots"/],
    ['fingerbank', 'level', '"5"', /\/0\/level must be integer, the service sent string "5"/],
    ['datafiniti', 'email', 'null', /\/0\/email must be string, the service sent null/],
  ] as const)('%s: refuses a %s the mock could not serve (%s), naming the field, and writes nothing', async (slug, field, value, message) => {
    const empty = mkdtempSync(join(tmpdir(), 'provider-mock-record-'));
    const retyped = (answer: Exchange): Exchange => {
      if (answer.status !== 200) return answer;
      const body = JSON.parse(answer.body) as Record<string, unknown> | Record<string, unknown>[];
      for (const record of [body].flat()) record[field] = JSON.parse(value);
      return { ...answer, body: JSON.stringify(body) };
    };
    const standIn = await startStandIn(source.url, retyped);
    try {
      const recorded = await run(['record', slug, '--base-url', standIn.url, '--credential', REAL[slug], '--out', empty]);
      expect(recorded.code).toBe(2);
      expect(recorded.stderr).toMatch(/^provider-mock record: could not run: the service's data does not fit the mock's schema, nothing was written: /);
      expect(recorded.stderr).toMatch(message);
      expect(filesUnder(empty)).toEqual([]);
    } finally {
      await standIn.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
