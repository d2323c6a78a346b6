import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMock } from '../../src/mock.js';
import { providers } from '../../src/providers.js';
import type { VerifyReport } from '../../src/verify/verify.js';
import { type Exchange, run, startStandIn } from './stand-in.js';

let live: MockServer;
beforeAll(async () => {
  live = await startMock({ users: 0 });
});
afterAll(async () => {
  await live.close();
});

const documented = (slug: string) => live.app.mock.storeOf(slug).demoCredentials()[0]!.value;

async function verifyThrough(slug: string, drift: (answer: Exchange) => Exchange, flags: string[] = []) {
  const standIn = await startStandIn(live.url, drift);
  try {
    return await run(['verify', slug, '--base-url', standIn.url, '--credential', documented(slug), ...flags]);
  } finally {
    await standIn.close();
  }
}

const on200 = (change: (body: Record<string, unknown>) => Record<string, unknown>) => (answer: Exchange) =>
  answer.status === 200 ? { ...answer, body: JSON.stringify(change(JSON.parse(answer.body) as Record<string, unknown>)) } : answer;

describe('the text report cannot be forged by what the service sends', () => {
  // (a control character in a header is refused by Node's HTTP parser: that answer is not HTTP, exit 2)
  it('escapes control characters in keys and values: no pass line is forged, no line hidden', async () => {
    const forged = 'x\u001b[2K\rpass    account-info-bearer  body\n';
    const { code, stdout } = await verifyThrough('fingerbank', on200((body) => ({ ...body, [forged]: 1, level: 'lots\u001b[31m\u202e' })));
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    for (const line of stdout.trimEnd().split('\n')) expect(line).toMatch(/^(result|drift|pass|fingerbank at |$)/);
    expect(stdout).toContain('/x\\u001b[2K\\rpass    account-info-bearer  body\\n');
    expect(stdout).toContain('string "lots\\u001b[31m\\u202e"');
    // a pass line that claims the body is followed by nothing but spaces: the forged key's line is a drift
    expect(stdout).not.toMatch(/^pass\s+account-info-bearer\s+body\s*$/m);
  });
});

describe('less noise', () => {
  it('one line per distinct drift, naming the cases it appeared in; --only-drift leaves the passes out', async () => {
    const level = on200((body) => ({ ...body, level: String(body.level) }));
    const full = await verifyThrough('fingerbank', level);
    expect(full.code).toBe(1);
    const levelLines = full.stdout.split('\n').filter((line) => line.includes('/level'));
    expect(levelLines).toEqual([expect.stringMatching(/^drift\s+account-info-bearer, account-info-curl, account-info-query-key\s+body\s+\/level\s+integer\s+string "0"\s+a field has another type$/)]);
    expect(full.stdout).toMatch(/^pass\s+unauthorized\s+status$/m);
    expect(full.stdout).toMatch(/: \d+ passed, 3 drift \(1 distinct\), 4 of 40 requests\n$/);

    const quiet = await verifyThrough('fingerbank', level, ['--only-drift']);
    expect(quiet.code).toBe(1);
    const spaced = (line: string) => line.replace(/\s+/g, ' ');
    expect(quiet.stdout.split('\n').filter((line) => line !== '').map(spaced)).toEqual([
      expect.stringMatching(/^result case/),
      spaced(levelLines[0]!),
      expect.stringMatching(/^fingerbank at .*: \d+ passed, 3 drift \(1 distinct\)/),
    ]);
  });

  it('--only-drift with no drift prints the summary alone', async () => {
    const { code, stdout } = await run(['verify', 'datafiniti', '--base-url', live.url, '--credential', documented('datafiniti'), '--only-drift']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^datafiniti at http:\/\/127\.0\.0\.1:\d+: \d+ passed, 0 drift, 2 of 40 requests\n$/);
  });

  it.each(providers.map((provider) => provider.slug))('%s: a 500 where 200 was expected is drift, not "could not run"', async (slug) => {
    const broken = (answer: Exchange): Exchange =>
      answer.status === 200 ? { status: 500, headers: { 'content-type': 'application/json' }, body: '{"error":"internal"}' } : answer;
    const { code, stdout, stderr } = await verifyThrough(slug, broken, ['--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as VerifyReport;
    expect(report.checks).toContainEqual(expect.objectContaining({ check: 'status', result: 'drift', kind: 'status', expected: '200', actual: '500' }));
  });
});
