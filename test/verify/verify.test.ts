import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMock, verifyProvider } from '../../src/mock.js';
import { providers } from '../../src/providers.js';
import type { Check } from '../../src/verify/checks.js';
import { REQUEST_BUDGET } from '../../src/verify/http.js';
import type { VerifyReport } from '../../src/verify/verify.js';
import { type Drift, type Exchange, closedPort, run, startStandIn } from './stand-in.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

let live: MockServer;
beforeAll(async () => {
  live = await startMock({ users: 30 });
});
afterAll(async () => {
  await live.close();
});

/** The first credential the mock offers for a provider: its documented account. */
const documentedCredential = (slug: string) => live.app.mock.storeOf(slug).demoCredentials()[0]!.value;

async function verifyJson(slug: string, baseUrl: string, credential: string) {
  const result = await run(['verify', slug, '--base-url', baseUrl, '--credential', credential, '--format', 'json']);
  return { ...result, report: result.stdout ? (JSON.parse(result.stdout) as VerifyReport) : undefined };
}

const drifts = (report: VerifyReport | undefined) => (report?.checks ?? []).filter((check) => check.result === 'drift');

describe('verify against a second mock started as the live service', () => {
  it.each(providers.map((provider) => provider.slug))('%s: every check passes, exit 0, within the budget', async (slug) => {
    const { code, report, stderr } = await verifyJson(slug, live.url, documentedCredential(slug));
    expect(stderr).toBe('');
    expect(drifts(report)).toEqual([]);
    expect(code).toBe(0);
    expect(report!.passed).toBe(true);
    expect(report!.requests).toBeGreaterThan(0);
    expect(report!.requests).toBeLessThanOrEqual(REQUEST_BUDGET);
    expect(report!.checks.map((check) => check.check)).toContain('status');
  });

  it('checks Fingerbank rate-limit headers and the error envelope', async () => {
    const report = await verifyProvider({ provider: 'fingerbank', baseUrl: live.url, credential: documentedCredential('fingerbank') });
    const names = new Set(report.checks.map((check) => `${check.case}: ${check.check}`));
    expect(names).toContain('account-info-bearer: header x-ratelimit-remaining');
    expect(names).toContain('account-info-curl: header x-ratelimit-limit');
    expect(names).toContain('unauthorized: error envelope');
  });

  it('passes with accounts other than the documented ones: a Plaspy account of generated users, the Datonis organisation of 30', async () => {
    const plaspy = live.app.mock.storeOf('plaspy').demoCredentials().at(-1)!.value;
    const datonis = live.app.mock.storeOf('datonis').demoCredentials().at(-1)!.value;
    for (const [slug, credential] of [['plaspy', plaspy], ['datonis', datonis]] as const) {
      const report = await verifyProvider({ provider: slug, baseUrl: live.url, credential });
      expect(drifts(report), slug).toEqual([]);
    }
  });

  it('checks Datonis paging, search and order on the account\'s own users', async () => {
    const credential = live.app.mock.storeOf('datonis').demoCredentials().at(-1)!.value;
    const report = await verifyProvider({ provider: 'datonis', baseUrl: live.url, credential });
    const paging = report.checks.filter((check) => check.case === 'paging and order').map((check) => check.check);
    expect(paging).toEqual([
      'total_count is the same on every page',
      'per=10: each page holds per users until the last',
      'pages share no user',
      "the pages' union is total_count users",
      'search=<a user_key> finds that user',
      'order_by=first_name&order=asc',
      'order_by=first_name&order=desc',
    ]);
  });

  it('prints a table by default, and writes JUnit XML to --out', async () => {
    const text = await run(['verify', 'datafiniti', '--base-url', live.url, '--credential', documentedCredential('datafiniti')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^result\s+case\s+check\s+pointer\s+mock expects\s+service sent\s+meaning$/m);
    expect(text.stdout).toMatch(/^pass\s+get-users\s+body$/m);
    const dir = mkdtempSync(join(tmpdir(), 'provider-mock-verify-'));
    try {
      const out = join(dir, 'report.xml');
      const junit = await run(['verify', 'datafiniti', '--base-url', live.url, '--credential', documentedCredential('datafiniti'), '--format', 'junit', '--out', out]);
      expect(junit.code).toBe(0);
      expect(junit.stdout).toContain(`report in ${out}`);
      const xml = readFileSync(out, 'utf8');
      expect(xml).toMatch(/<testsuite name="datafiniti" tests="\d+" failures="0"/);
      expect(xml).toContain('<testcase classname="datafiniti.get-users" name="status"/>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Changes the JSON body of the answers `when` picks. */
function jsonDrift(when: (answer: Exchange, url: string) => boolean, change: (body: any) => unknown): Drift {
  return (answer, request) => (when(answer, request.url) ? { ...answer, body: JSON.stringify(change(JSON.parse(answer.body))) } : answer);
}

interface DriftCase {
  name: string;
  provider: string;
  drift: Drift;
  /** The drifts the report must name, each by kind, check and pointer. */
  expected: Partial<Check>[];
}

const ok = (answer: Exchange) => answer.status === 200;

const DRIFTS: DriftCase[] = [
  {
    name: 'a renamed field',
    provider: 'fingerbank',
    drift: jsonDrift(ok, ({ display_name, ...rest }) => ({ ...rest, displayName: display_name })),
    expected: [
      { kind: 'missing', check: 'body', pointer: '/display_name', expected: 'string', actual: 'absent' },
      { kind: 'extra', check: 'body', pointer: '/displayName', expected: 'absent', actual: 'string "John Doe"' },
    ],
  },
  {
    name: 'a field of another type',
    provider: 'fingerbank',
    drift: jsonDrift(ok, (body) => ({ ...body, level: String(body.level) })),
    expected: [{ kind: 'type', check: 'body', pointer: '/level', expected: 'integer', actual: 'string "0"' }],
  },
  {
    name: 'an extra field',
    provider: 'datafiniti',
    drift: jsonDrift(ok, (body: object[]) => body.map((user) => ({ ...user, api_calls: 3 }))),
    expected: [{ kind: 'extra', check: 'body', pointer: '/0/api_calls', expected: 'absent', actual: 'integer 3' }],
  },
  {
    name: 'another status',
    provider: 'datafiniti',
    drift: (answer) => (answer.status === 401 ? { ...answer, status: 403 } : answer),
    expected: [{ case: 'unauthorized', kind: 'status', check: 'status', expected: '401', actual: '403' }],
  },
  {
    name: 'a missing rate-limit header',
    provider: 'fingerbank',
    drift: (answer) => {
      const { 'x-ratelimit-remaining': _gone, ...headers } = answer.headers;
      return { ...answer, headers };
    },
    expected: [{ case: 'account-info-bearer', kind: 'header', check: 'header x-ratelimit-remaining', actual: 'absent' }],
  },
  {
    name: 'a 429 without Retry-After',
    provider: 'fingerbank',
    drift: (answer) => {
      const { 'retry-after': _gone, ...headers } = answer.headers;
      return answer.status === 200 ? { status: 429, headers, body: JSON.stringify({ message: 'slow down' }) } : answer;
    },
    expected: [
      { case: 'account-info-bearer', kind: 'status', check: 'status', expected: '200', actual: '429' },
      { case: 'account-info-bearer', kind: 'header', check: 'header retry-after', actual: 'absent' },
    ],
  },
  {
    name: 'another error envelope',
    provider: 'plaspy',
    drift: jsonDrift((answer) => answer.status === 401, (body) => ({ error: { code: 401, message: body.error } })),
    expected: [
      // success and apiUsage left out are no drift: Plaspy's page marks no field of its envelope required
      { case: 'invalid-token', kind: 'type', check: 'error envelope', pointer: '/error', expected: 'string', actual: 'object' },
    ],
  },
  {
    name: 'a body that is not JSON',
    provider: 'datonis',
    drift: (answer) => ({ ...answer, headers: { ...answer.headers, 'content-type': 'text/html' }, body: '<html><body>Service Unavailable</body></html>' }),
    expected: [
      { case: 'list-all', kind: 'content-type', check: 'content type', expected: 'application/json', actual: 'text/html' },
      { case: 'list-all', kind: 'not-json', check: 'body', pointer: '', expected: 'JSON' },
      { case: 'paging and order', kind: 'semantics' },
    ],
  },
];

describe('verify against a local stand-in that drifts', () => {
  it.each(DRIFTS.map((item) => [item.name, item] as const))('%s: named with its pointer, exit 1', async (_name, item) => {
    const standIn = await startStandIn(live.url, item.drift);
    try {
      const { code, report, stderr } = await verifyJson(item.provider, standIn.url, documentedCredential(item.provider));
      expect(stderr).toBe('');
      for (const expected of item.expected) expect(drifts(report)).toContainEqual(expect.objectContaining({ result: 'drift', ...expected }));
      expect(code).toBe(1);
      expect(report!.passed).toBe(false);
    } finally {
      await standIn.close();
    }
  });

  it('reports a drifting field once per list, at its first item', async () => {
    const standIn = await startStandIn(live.url, jsonDrift(ok, (body) => ({ ...body, users: body.users?.map((user: object) => ({ ...user, phone: 1 })) })));
    try {
      const report = await verifyProvider({ provider: 'datonis', baseUrl: standIn.url, credential: documentedCredential('datonis') });
      const phones = drifts(report).filter((check) => check.case === 'list-all' && check.pointer?.endsWith('/phone'));
      expect(phones).toEqual([expect.objectContaining({ kind: 'type', pointer: '/users/0/phone', expected: 'string', actual: 'integer 1' })]);
    } finally {
      await standIn.close();
    }
  });
});

describe('verify could not run: exit 2, saying why', () => {
  it('a closed port', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await run(['verify', 'fingerbank', '--base-url', `http://127.0.0.1:${port}`, '--credential', 'k']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/could not run: the service at http:\/\/127\.0\.0\.1:\d+ is unreachable: ECONNREFUSED/);
  });

  it('a valid credential refused: an unknown token, a blocked account', async () => {
    const unknown = await run(['verify', 'datafiniti', '--base-url', live.url, '--credential', 'not-a-token']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/refused the credential on GET \/v3\/users \(401\) where a valid one was expected/);
    const blocked = live.app.mock.storeOf('fingerbank').demoCredentials().find((demo) => /blocked/i.test(demo.label))!.value;
    const refused = await run(['verify', 'fingerbank', '--base-url', live.url, '--credential', blocked]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refused the credential .* \(403\)/);
  });

  it.each([
    [['verify'], /name one provider/],
    [['verify', 'nosuch', '--base-url', 'http://127.0.0.1:1', '--credential', 'x'], /unknown provider 'nosuch'/],
    [['verify', 'plaspy', '--credential', 'x'], /missing --base-url/],
    [['verify', 'plaspy', '--base-url', 'not a url', '--credential', 'x'], /not a URL/],
    [['verify', 'plaspy', '--base-url', 'http://127.0.0.1:1', '--credential', 'x', '--format', 'yaml'], /--format/],
    [['verify', 'plaspy', '--bogus'], /Unknown option '--bogus'/],
  ])('bad arguments %j', async (argv, message) => {
    const { code, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('through the command line itself: a closed port exits 2; --help states the budget', async () => {
    const port = await closedPort();
    const cli = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    const closed = cli(['verify', 'plaspy', '--base-url', `http://127.0.0.1:${port}`, '--credential', 'x']);
    expect(closed.status).toBe(2);
    expect(closed.stderr).toContain('unreachable');
    const help = cli(['verify', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`at most ${REQUEST_BUDGET} per run`);
  });
});
