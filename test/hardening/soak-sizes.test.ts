import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/control/limits.js';
import { DEMO } from './arbitraries.js';
import { type ErrorFormatName, errorFormatProblem } from './formats.js';
import { serverProcess } from './server-process.js';
import { send } from './sockets.js';

/**
 * The soak's sizes, on the command line's server in a process of its own, so that the resident
 * memory measured is the server's alone: its peak (Linux's VmHWM, reset before each phase through
 * /proc/<pid>/clear_refs) against its resident memory once started. Each phase sends what grew
 * without bound before its limit existed: Datonis GET bodies of 1 MB (1,000 took the server from 90
 * to 1,164 MB), faults near their byte bound (1,000 of about 1 MB took it 1 GB further), and records
 * with every field at its bound until the account's bound refuses (530 users of 1 MB broke reads).
 */
const GET_BODIES = 500;
const LARGE_FAULTS = 1_000;
const USER_CREATES = 300;
const ACCOUNT_PATCHES = 600;
/** Resident memory the server may add at its peak (measured: 56 to 128 MB): the phases send 500 MB, 80 MB and 20 MB, and it may keep 8 MB of it; the 500 Datonis bodies alone, kept, would pass it. */
const PEAK_GROWTH_BOUND = 200 * 1024 * 1024;
const AT_ONCE = 10;

const json = { 'content-type': 'application/json' };
let server: ChildProcess;
let url: string;
/** The server's resident memory once started. */
let started = 0;
const agent = new Agent({ keepAlive: true, maxSockets: AT_ONCE });

beforeAll(async () => {
  ({ child: server, url } = await serverProcess(['--users', '20']));
  await send(`${url}/__mock/health`, { agent });
  started = status('VmRSS');
}, 60_000);

afterAll(() => {
  agent.destroy();
  server.kill('SIGKILL');
});

/** One line of /proc/<pid>/status, in bytes. */
function status(field: 'VmRSS' | 'VmHWM'): number {
  const kB = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
  return Number(kB) * 1024;
}

/** The server's CPU time so far (user and system, in clock ticks of 10 ms). */
function cpuSeconds(): number {
  const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Runs a phase and answers the server's peak resident memory during it, less its resident memory
 * once started: a heap a phase grew stays with the server, so the next phase's peak counts it.
 */
async function peakGrowth(what: string, phase: () => Promise<void>): Promise<number> {
  writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
  const cpu = cpuSeconds();
  await phase();
  const peak = status('VmHWM');
  if (process.env.SOAK_FIGURES) {
    const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    console.log(`${what}: peak resident memory ${mb(peak)}, ${mb(peak - started)} over the server's start; server CPU ${(cpuSeconds() - cpu).toFixed(1)} s`);
  }
  return peak - started;
}

/** Sends `count` requests, `AT_ONCE` at a time, and answers each one's status and body in order. */
async function inTurn(count: number, request: (i: number) => Parameters<typeof send>): Promise<{ status: number; body: string }[]> {
  const answers: { status: number; body: string }[] = [];
  for (let start = 0; start < count; start += AT_ONCE) {
    const block = Array.from({ length: Math.min(AT_ONCE, count - start) }, (_, i) => send(...request(start + i)));
    for (const { status, body } of await Promise.all(block)) answers.push({ status, body });
  }
  return answers;
}

/** The refusals among `answers` that are not exactly `format`'s envelope, or whose message is not one of `messages`. */
function wrongRefusals(answers: { status: number; body: string }[], format: ErrorFormatName, messages: RegExp): string[] {
  return answers.flatMap(({ status, body }) => {
    if (status < 400) return [];
    const problem = errorFormatProblem(format, status, JSON.parse(body));
    if (problem) return [problem];
    const parsed = JSON.parse(body) as { message?: string; error?: { message: string } };
    const message = parsed.message ?? parsed.error?.message ?? '';
    return messages.test(message) ? [] : [`${status}: ${message}`];
  });
}

const counts = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>((tally, { status }) => ({ ...tally, [status]: (tally[status] ?? 0) + 1 }), {});

describe.skipIf(process.platform !== 'linux')('soak: sizes, the server’s peak resident memory bounded', () => {
  it(`${GET_BODIES.toLocaleString('en')} Datonis GETs with a 1 MB JSON body: each answered, the journal keeps each as its size and still reads`, async () => {
    const filler = 'x'.repeat(1_000_000);
    const search = JSON.stringify({ search: filler });
    const note = JSON.stringify({ note: filler });
    const headers = { ...json, 'x-auth-token': DEMO.datonis };
    let answers: { status: number; body: string }[] = [];
    const growth = await peakGrowth('Datonis GET bodies', async () => {
      // every tenth searches with it (over the parameter's 1,000 characters: a 400); the rest carry it as a parameter Datonis ignores
      answers = await inTurn(GET_BODIES, (i) => {
        const body = i % 10 === 0 ? search : note;
        // Node's client sends a GET's body without saying its length unless told
        return [`${url}/api/v3/users`, { headers: { ...headers, 'content-length': String(body.length) }, body, agent }];
      });
    });
    expect(counts(answers)).toEqual({ 200: GET_BODIES * 0.9, 400: GET_BODIES * 0.1 });
    expect(wrongRefusals(answers, 'datonis', /^Invalid parameter 'search': must NOT have more than 1000 characters$/)).toEqual([]);

    const journal = await send(`${url}/__mock/requests?provider=datonis&limit=1000`, { agent });
    expect(journal.status).toBe(200);
    const entries = (JSON.parse(journal.body) as { requests: { query: unknown; body: unknown }[] }).requests;
    expect(entries).toHaveLength(GET_BODIES);
    // the body's parameters merged into the query: each kept as its size (URL and body), never whole
    const megabyte = (part: unknown) => {
      const { truncated, bytes } = part as { truncated?: boolean; bytes?: number };
      return truncated === true && bytes !== undefined && bytes > 1_000_000 && bytes < 1_001_000;
    };
    expect(entries.filter(({ query, body }) => megabyte(query) && megabyte(body))).toHaveLength(GET_BODIES);
    const count = await send(`${url}/__mock/requests/count?provider=datonis&query.note=x`, { agent });
    expect(count.status).toBe(200);
    expect(JSON.parse(count.body)).toEqual({ count: 0 });
    expect(growth).toBeLessThan(PEAK_GROWTH_BOUND);
  }, 120_000);

  it(`${LARGE_FAULTS.toLocaleString('en')} faults near their byte bound until all of them reach theirs: refused with 413 or 422 in the control plane’s envelope, the list still answers`, async () => {
    // 10 KB of headers a step: an answer's headers stay under a client's 16 KB
    const headers = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`X-Filler-${i}`, 'x'.repeat(1000)]));
    const step = { status: 503, message: 'm'.repeat(1000), headers };
    // five steps take about 56 KB (under the 64 KB bound), 90 about 1 MB (1,000 of those took 1 GB); a body over 1 MB is not read
    const fault = (steps: number) => JSON.stringify({ provider: 'plaspy', route: '/api/users/:userId', sequence: Array(steps).fill(step) });
    const overBody = JSON.stringify({ provider: 'plaspy', message: 'm'.repeat(1_100_000) });
    let answers: { status: number; body: string }[] = [];
    const growth = await peakGrowth('large faults', async () => {
      answers = await inTurn(LARGE_FAULTS, (i) => [`${url}/__mock/faults`, { method: 'POST', headers: json, body: i % 50 === 49 ? overBody : fault(i % 50 === 24 ? 90 : 5), agent }]);
    });
    const kept = Math.floor(DEFAULT_LIMITS.faultsBytes / fault(5).length);
    expect(counts(answers)).toEqual({ 201: kept, 413: LARGE_FAULTS / 50, 422: LARGE_FAULTS - kept - LARGE_FAULTS / 50 });
    expect(wrongRefusals(answers, 'control', /^(A fault may take at most 65536 bytes|The faults in force may take at most 4194304 bytes|Request body is too large$)/)).toEqual([]);

    const list = await send(`${url}/__mock/faults`, { agent });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).toHaveLength(kept);
    expect((await send(`${url}/api/users/usr-12345`, { headers: { authorization: `Bearer ${DEMO.plaspy}` }, agent })).status).toBe(503);
    expect((await send(`${url}/__mock/faults`, { method: 'DELETE', agent })).status).toBe(200);
    expect(growth).toBeLessThan(PEAK_GROWTH_BOUND);
  }, 120_000);

  it('records with every field at its bound until the account’s bound refuses with 422, its list still answering', async () => {
    const atBound = 'f'.repeat(DEFAULT_LIMITS.fieldBytes - 2);
    const user = JSON.stringify({ name: atBound, description: atBound, message: atBound, group: atBound });
    const overField = JSON.stringify({ description: `${atBound}f` });
    const users = `/__mock/plaspy/accounts/${DEMO.plaspy}/users`;
    const created = (await send(`${url}/__mock/datafiniti/accounts`, { method: 'POST', headers: json, body: '{}', agent })).body;
    const account = `/__mock/datafiniti/accounts/${(JSON.parse(created) as { token: string }).token}`;
    let userAnswers: { status: number; body: string }[] = [];
    let patchAnswers: { status: number; body: string }[] = [];
    let list = { status: 0, body: '' };
    const growth = await peakGrowth('large records', async () => {
      userAnswers = await inTurn(USER_CREATES, (i) => [`${url}${users}`, { method: 'POST', headers: json, body: i % 25 === 24 ? overField : user, agent }]);
      patchAnswers = await inTurn(ACCOUNT_PATCHES, () => [`${url}${account}`, { method: 'PATCH', headers: json, body: JSON.stringify({ first_name: atBound }), agent }]);
      // the account's list answers its 8 MB of users: 530 users of 1 MB made it a 500
      for (let i = 0; i < 3; i++) list = await send(`${url}/api/users`, { headers: { authorization: `Bearer ${DEMO.plaspy}` }, agent });
    });
    const usersKept = Math.floor(DEFAULT_LIMITS.accountBytes / (4 * DEFAULT_LIMITS.fieldBytes));
    const overFields = USER_CREATES / 25;
    expect(counts(userAnswers)).toEqual({ 201: usersKept, 422: USER_CREATES - usersKept });
    const patchesKept = Math.floor(DEFAULT_LIMITS.accountBytes / DEFAULT_LIMITS.fieldBytes);
    expect(counts(patchAnswers)).toEqual({ 200: patchesKept, 422: ACCOUNT_PATCHES - patchesKept });
    const refused = /^(Field 'description' takes 16385 bytes as JSON; a stored field takes at most 16384|The control plane writes at most 8388608 bytes of fields into one (Plaspy|Datafiniti) account between resets, and has written \d+ into '[^']+'; POST \/__mock\/reset starts again)$/;
    expect(wrongRefusals([...userAnswers, ...patchAnswers], 'control', refused)).toEqual([]);
    expect(userAnswers.filter(({ body }) => body.includes("Field 'description'"))).toHaveLength(overFields);

    expect(list.status).toBe(200);
    expect((JSON.parse(list.body) as { users: unknown[] }).users.length).toBeGreaterThan(usersKept);
    expect(growth).toBeLessThan(PEAK_GROWTH_BOUND);
  }, 120_000);
});
