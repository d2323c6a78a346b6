import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockServer, startMock, verifyProvider } from '../../src/mock.js';
import { HIDDEN_CREDENTIAL } from '../../src/verify/redact.js';
import { type Exchange, run, startStandIn } from './stand-in.js';

let live: MockServer;
let dir: string;
beforeAll(async () => {
  live = await startMock({ users: 0 });
  dir = mkdtempSync(join(tmpdir(), 'provider-mock-secrets-'));
});
afterAll(async () => {
  await live.close();
  rmSync(dir, { recursive: true, force: true });
});

const documented = (slug: string) => live.app.mock.storeOf(slug).demoCredentials()[0]!.value;

/** Every form the credential could be read in. */
function expectNoTrace(text: string, credential: string): void {
  for (const form of [credential, encodeURIComponent(credential), Buffer.from(`${credential}:`).toString('base64')]) expect(text).not.toContain(form);
  // a cut credential would leak its start: no 8 characters of it in a row
  expect(text).not.toContain(credential.slice(0, 8));
}

describe('verify never shows the credential', () => {
  it('when the service refuses a key it was given in the path (Fingerbank\'s documented form)', async () => {
    const key = 'f00dfeed'.repeat(5);
    const { code, stdout, stderr } = await run(['verify', 'fingerbank', '--base-url', live.url, '--credential', key]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/refused the credential on GET \/api\/v2\/users\/account_info\/\[credential\] \(401\)/);
    expectNoTrace(stderr, key);
  });

  it('when the service echoes it in drifting fields, a drifting header and a body that is not JSON, in every format', async () => {
    const key = documented('fingerbank');
    const echo = (answer: Exchange, request: { url: string }): Exchange => {
      if (request.url.includes('?key=')) return { ...answer, body: `<html>${' '.repeat(50)}bad key ${key}</html>` };
      if (answer.status !== 200) return answer;
      const body = { ...JSON.parse(answer.body), api_key: key, note: `for ${key.slice(0, 12)}`, level: key.slice(0, 30) };
      return { ...answer, headers: { ...answer.headers, 'x-ratelimit-remaining': key }, body: JSON.stringify(body) };
    };
    const standIn = await startStandIn(live.url, echo);
    try {
      for (const format of ['text', 'json', 'junit']) {
        const { code, stdout, stderr } = await run(['verify', 'fingerbank', '--base-url', standIn.url, '--credential', key, '--format', format]);
        expect(code, format).toBe(1);
        expect(stderr).toBe('');
        expect(stdout).toContain(HIDDEN_CREDENTIAL);
        expectNoTrace(stdout, key);
      }
      const out = join(dir, 'report.json');
      await run(['verify', 'fingerbank', '--base-url', standIn.url, '--credential', key, '--format', 'json', '--out', out]);
      expectNoTrace(readFileSync(out, 'utf8'), key);
      const report = await verifyProvider({ provider: 'fingerbank', baseUrl: standIn.url, credential: key });
      expect(report.checks).toContainEqual(expect.objectContaining({ pointer: '/level', kind: 'type', actual: `string "${HIDDEN_CREDENTIAL}"` }));
      expectNoTrace(JSON.stringify(report), key);
    } finally {
      await standIn.close();
    }
  });

  it('when a Datafiniti service echoes the Basic pair it was sent', async () => {
    const token = documented('datafiniti');
    const seen = Buffer.from(`${token}:`).toString('base64');
    const standIn = await startStandIn(live.url, (answer) =>
      answer.status === 200 ? { ...answer, body: JSON.stringify((JSON.parse(answer.body) as object[]).map((user) => ({ ...user, seen }))) } : answer,
    );
    try {
      const { code, stdout } = await run(['verify', 'datafiniti', '--base-url', standIn.url, '--credential', token]);
      expect(code).toBe(1);
      expectNoTrace(stdout, token);
    } finally {
      await standIn.close();
    }
  });
});

describe('--credential-env NAME: the credential from the environment, out of the process list', () => {
  it('verify and record read it there', async () => {
    const env = { FINGERBANK_KEY: documented('fingerbank') };
    const verified = await run(['verify', 'fingerbank', '--base-url', live.url, '--credential-env', 'FINGERBANK_KEY'], env);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    const recorded = await run(['record', 'fingerbank', '--base-url', live.url, '--credential-env', 'FINGERBANK_KEY', '--out', dir, '--as', 'as-key'], env);
    expect(recorded.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'fingerbank', 'accounts.json'), 'utf8'))).toEqual([expect.objectContaining({ key: 'as-key' })]);
  });

  it.each([
    [['--credential-env', 'UNSET_NAME'], {}, /--credential-env UNSET_NAME: no such environment variable is set/],
    [['--credential-env', 'EMPTY'], { EMPTY: '' }, /--credential-env EMPTY: the variable is empty/],
    [['--credential-env', 'KEY', '--credential', 'other'], { KEY: 'k' }, /give --credential or --credential-env, not both/],
    [[], {}, /missing --credential \(or --credential-env NAME\)/],
  ])('refuses %j', async (flags, env, message) => {
    const { code, stderr } = await run(['verify', 'fingerbank', '--base-url', live.url, ...flags], env);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
