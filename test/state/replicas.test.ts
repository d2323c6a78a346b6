import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorFormatProblem } from '../hardening/formats.js';
import { BOB_KEY } from '../providers/fingerbank/accounts.js';
import { type TestRedis, skippedWithoutRedis, startRedis } from '../redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FINGERBANK = `/api/v2/users/account_info?key=${BOB_KEY}`;
const PLASPY_HEADERS = { authorization: 'Bearer plaspy-demo-token' };
const CALLS = [
  { slug: 'datafiniti', path: '/v3/users', headers: { authorization: `Basic ${Buffer.from('AAAXXXXXXXXXXXX:').toString('base64')}` } },
  { slug: 'fingerbank', path: FINGERBANK, headers: {} },
  { slug: 'plaspy', path: '/api/users', headers: PLASPY_HEADERS },
  { slug: 'datonis', path: '/api/v3/users', headers: { 'x-auth-token': 'WtUFnj8pvSxVnH9e_xkq7A' } },
] as const;

/** Keeps the sockets to the replicas few and reused, however many calls are in flight. */
const agent = new Agent({ keepAlive: true, maxSockets: 32 });

interface Answer {
  status: number;
  body: any;
}

function call(base: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: unknown } = {}, retried = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = request(
      `${base}${path}`,
      {
        agent,
        method: options.method ?? 'GET',
        headers: { ...options.headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
        timeout: 20_000,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${base}${path}`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the replica closed as idle just as the request went out (Node's own
      // advice for reusedSocket): a GET is sent again once, on a new socket. A request on a new
      // socket that gets no answer still fails.
      const raced = req.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
      if (raced && !retried && (options.method ?? 'GET') === 'GET') call(base, path, options, true).then(resolve, reject);
      else reject(error);
    });
    req.end(payload);
  });
}

interface Replica {
  url: string;
  child: ChildProcess;
}

/** `provider-mock --port 0 --state-url …` as a process of its own; answers once it listens. */
function startReplica(stateUrl: string, name: string, extra: string[] = []): Promise<Replica> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli.ts', '--port', '0', '--users', '5', '--state-url', stateUrl, '--state-prefix', 'replicas', '--replica-id', name, '--log-level', 'warn', ...extra],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica ${name} did not start in 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /provider-mock listening on (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${name} exited with ${code}: ${output}`));
    });
  });
}

function stopReplica(replica: Replica | undefined): Promise<void> {
  if (!replica || replica.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    replica.child.once('exit', () => resolve());
    replica.child.kill('SIGKILL');
  });
}

function count(answers: Answer[], status: number): number {
  return answers.filter((answer) => answer.status === status).length;
}

/**
 * Three replicas, each a process of its own, on one redis-server: seen from a client spreading its
 * calls over them, they act as one server.
 */
describe.skipIf(skippedWithoutRedis('The replica tests'))('three replicas on one Redis', { timeout: 120_000 }, () => {
  let redis: TestRedis;
  let replicas: Replica[] = [];
  const urls = () => replicas.map((replica) => replica.url);
  const spread = <T>(n: number, each: (url: string, i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: n }, (_, i) => each(urls()[i % 3]!, i)));

  beforeAll(async () => {
    redis = await startRedis();
    replicas = await Promise.all(['A', 'B', 'C'].map((name) => startReplica(redis.url, name)));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map(stopReplica));
    await redis?.stop();
    agent.destroy();
  });
  beforeEach(async () => {
    expect((await call(urls()[1]!, '/__mock/reset', { method: 'POST' })).status).toBe(200);
  });

  it('gives 1,000 concurrent Fingerbank calls on one key exactly 250 answers 200 and 750 answers 429', async () => {
    const answers = await spread(1000, (url) => call(url, FINGERBANK));
    expect(count(answers, 200)).toBe(250);
    expect(count(answers, 429)).toBe(750);
    // each admitted call shows its own count: 1512 (the documented first call) to 1761, once each
    const requests = answers.filter((answer) => answer.status === 200).map((answer) => answer.body.requests as number);
    expect(new Set(requests).size).toBe(250);
    expect(Math.min(...requests)).toBe(1512);
    expect(Math.max(...requests)).toBe(1761);
  });

  it('raises Plaspy apiUsage by exactly 900 for 900 concurrent calls', async () => {
    const before = (await call(urls()[0]!, '/api/users', { headers: PLASPY_HEADERS })).body.apiUsage as number;
    const answers = await spread(900, (url) => call(url, '/api/users', { headers: PLASPY_HEADERS }));
    expect(count(answers, 200)).toBe(900);
    expect(new Set(answers.map((answer) => answer.body.apiUsage)).size).toBe(900);
    expect((await call(urls()[2]!, '/api/users', { headers: PLASPY_HEADERS })).body.apiUsage).toBe(before + 901);
  });

  it('resets every replica through B', async () => {
    await spread(300, (url) => call(url, FINGERBANK));
    await call(urls()[0]!, '/__mock/faults', { method: 'POST', body: { provider: 'datonis', status: 500 } });
    expect((await call(urls()[1]!, '/__mock/reset', { method: 'POST' })).body).toEqual({ status: 'reset' });
    for (const url of urls()) expect((await call(url, '/__mock/faults')).body).toEqual([]);
    expect((await call(urls()[2]!, '/__mock/requests')).body.total).toBe(0);
    const first = await call(urls()[0]!, FINGERBANK);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ timeframed_requests: 3, monthly_requests: 126, requests: 1512 });
  });

  it('fires a fault with times: 5 exactly 5 times over the three', async () => {
    const added = await call(urls()[0]!, '/__mock/faults', { method: 'POST', body: { provider: 'plaspy', status: 503, times: 5 } });
    expect(added.status).toBe(201);
    const answers = await spread(60, (url) => call(url, '/api/users', { headers: PLASPY_HEADERS }));
    expect(count(answers, 503)).toBe(5);
    expect(count(answers, 200)).toBe(55);
  });

  it('answers through B and C at once for an account created through A', async () => {
    const created = await call(urls()[0]!, '/__mock/fingerbank/accounts', { method: 'POST', body: { name: 'replicated' } });
    expect(created.status).toBe(201);
    const path = `/api/v2/users/account_info?key=${created.body.key}`;
    const [onB, onC] = await Promise.all([call(urls()[1]!, path), call(urls()[2]!, path)]);
    expect([onB.status, onC.status]).toEqual([200, 200]);
    expect(onB.body.display_name).toBe(created.body.display_name);
    expect(onC.body.email).toBe(created.body.email);
    expect([onB.body.requests, onC.body.requests].sort()).toEqual([created.body.requests + 1, created.body.requests + 2]);
  });

  it('answers every call that follows an acknowledged create as caught up, counted and journaled once, while creates go on', async () => {
    const accounts: { token: string; apiUsage: number }[] = [];
    const counted = new Map<string, number>();
    let calls = 0;
    for (let i = 0; i < 20; i++) {
      const created = await call(urls()[i % 3]!, '/__mock/plaspy/accounts', { method: 'POST', body: { label: `Fleet ${i}` } });
      expect(created.status).toBe(201);
      accounts.push(created.body);
      // each account called through the replicas that did not create it, the newest first
      const answers = await Promise.all(
        accounts.map((account, j) => call(urls()[(i + j + 1) % 3]!, '/api/users', { headers: { authorization: `Bearer ${account.token}` } })),
      );
      calls += answers.length;
      expect(answers.map((answer) => answer.status)).toEqual(accounts.map(() => 200));
      accounts.forEach((account) => counted.set(account.token, (counted.get(account.token) ?? 0) + 1));
    }
    for (const account of accounts) {
      const shown = await call(urls()[0]!, `/__mock/plaspy/accounts/${account.token}`);
      expect(shown.body.apiUsage, account.token).toBe(account.apiUsage + counted.get(account.token)!);
    }
    const journal = (await call(urls()[2]!, '/__mock/requests?provider=plaspy&limit=1')).body;
    expect(journal.total).toBe(calls);
  });

  it('catches up a replica killed with SIGKILL and started again', async () => {
    const [a] = replicas;
    await stopReplica(a);
    const created = await call(urls()[1]!, '/__mock/plaspy/accounts', { method: 'POST', body: { label: 'while A was down' } });
    expect(created.status).toBe(201);
    replicas[0] = await startReplica(redis.url, 'A');
    const answer = await call(urls()[0]!, '/api/users', { headers: { authorization: `Bearer ${created.body.token}` } });
    expect(answer.status).toBe(200);
  });

  it('lists on any replica the requests served by all, each naming its replica', async () => {
    await spread(6, (url) => call(url, '/api/users', { headers: PLASPY_HEADERS }));
    const journal = (await call(urls()[2]!, '/__mock/requests')).body;
    expect(journal.total).toBe(6);
    expect(journal.requests.map((entry: { replica: string }) => entry.replica).sort()).toEqual(['A', 'A', 'B', 'B', 'C', 'C']);
  });

  it('refuses to start a replica with another seed than the group, naming the setting', async () => {
    await expect(startReplica(redis.url, 'D', ['--seed', '7'])).rejects.toThrow(/exited with 1: .*--seed 7 \(SEED\), where the group has 1/s);
  });

  it('answers 503 in each provider’s envelope while Redis is away, then exact figures again', async () => {
    await redis.stop();
    try {
      for (const url of urls()) {
        const health = await call(url, '/__mock/health');
        expect(health.status).toBe(503);
        expect(health.body.message).toContain(`Redis at ${redis.url}`);
        for (const { slug, path, headers } of CALLS) {
          const answer = await call(url, path, { headers });
          expect(answer.status, `${slug} on ${url}`).toBe(503);
          expect(errorFormatProblem(slug, 503, answer.body), slug).toBeUndefined();
        }
      }
    } finally {
      await redis.start();
    }
    // each replica reconnects by itself every quarter second: a bounded wait
    for (const url of urls()) {
      let status = 0;
      for (let attempt = 0; attempt < 80 && status !== 200; attempt++) {
        status = (await call(url, '/__mock/health')).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status, url).toBe(200);
    }
    const answers = await spread(600, (url) => call(url, FINGERBANK));
    expect(count(answers, 200)).toBe(250);
    expect(count(answers, 429)).toBe(350);
  });
});
