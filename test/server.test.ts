import { EventEmitter } from 'node:events';
import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { providers } from '../src/providers.js';
import { type RunningServer, banner, closeOnSignals, startServer } from '../src/server.js';
import { basic } from './helpers.js';

const TOKEN = 'AAAXXXXXXXXXXXX';

/** A process stand-in: signals the test emits and the exit code the server asks for. */
function fakeProcess() {
  const signals = new EventEmitter();
  const exits: { code: number; at: number }[] = [];
  let onExit: () => void = () => {};
  const exited = new Promise<void>((resolve) => {
    onExit = resolve;
  });
  return {
    signals,
    exits,
    exited,
    exit(code: number) {
      exits.push({ code, at: Date.now() });
      onExit();
    },
    send(signal: NodeJS.Signals) {
      signals.emit(signal, signal);
    },
  };
}

const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close().catch(() => {})));
});

async function start(): Promise<RunningServer> {
  const server = await startServer({ host: '127.0.0.1', port: 0, users: 5 });
  running.push(server);
  return server;
}

function slowRequest(server: RunningServer, delayMs: number) {
  return fetch(`${server.url}/v3/users`, { headers: { authorization: basic(TOKEN), prefer: `delay=${delayMs}` } });
}

/** A GET on a connection of its own, never a pooled keep-alive one: resolves with the status. */
function getOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', reject);
  });
}

/** Lets the request reach the server before the signal arrives. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('closeOnSignals', () => {
  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const server = await start();
    const proc = fakeProcess();
    closeOnSignals(server, proc);
    const sentAt = Date.now();
    const pending = slowRequest(server, 600);
    await settle();
    proc.send('SIGTERM');
    const response = await pending;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { token: string }[])[0]?.token).toBe(TOKEN);
    await proc.exited;
    expect(proc.exits.map((exit) => exit.code)).toEqual([0]);
    expect(proc.exits[0]!.at - sentAt).toBeGreaterThanOrEqual(590);
  });

  it('on SIGINT fails health checks at once while it finishes the request in flight', async () => {
    const server = await start();
    const proc = fakeProcess();
    closeOnSignals(server, proc);
    const pending = slowRequest(server, 600);
    await settle();
    proc.send('SIGINT');
    const check = await getOnNewConnection(`${server.url}/__mock/health`).catch((error: { code?: string }) => error.code);
    expect([503, 'ECONNREFUSED', 'ECONNRESET']).toContain(check);
    expect((await pending).status).toBe(200);
    await proc.exited;
    expect(proc.exits.map((exit) => exit.code)).toEqual([0]);
  });

  it('is not held open by idle keep-alive connections', async () => {
    const server = await start();
    const proc = fakeProcess();
    closeOnSignals(server, proc);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${server.url}/v3/users`, { headers: { authorization: basic(TOKEN) } });
      expect(response.headers.get('connection')).toBe('keep-alive');
      await response.arrayBuffer();
    }
    const signalledAt = Date.now();
    proc.send('SIGTERM');
    await proc.exited;
    expect(proc.exits.map((exit) => exit.code)).toEqual([0]);
    expect(proc.exits[0]!.at - signalledAt).toBeLessThan(1000);
  });

  it('exits at once with 128 + the signal number on a second signal', async () => {
    const server = await start();
    const proc = fakeProcess();
    closeOnSignals(server, proc);
    const pending = slowRequest(server, 1000).catch((error: unknown) => error);
    await settle();
    proc.send('SIGTERM');
    proc.send('SIGINT');
    expect(proc.exits.map((exit) => exit.code)).toEqual([130]);
    await pending;
    expect(proc.exits).toHaveLength(1);
  });

  it('exits 1 when requests in flight outlast the time limit', async () => {
    const server = await start();
    const proc = fakeProcess();
    closeOnSignals(server, { ...proc, timeoutMs: 200 });
    const pending = slowRequest(server, 1500);
    await settle();
    const signalledAt = Date.now();
    proc.send('SIGTERM');
    await proc.exited;
    expect(proc.exits.map((exit) => exit.code)).toEqual([1]);
    expect(proc.exits[0]!.at - signalledAt).toBeLessThan(1000);
    await pending;
    expect(proc.exits).toHaveLength(1);
  });

  it('stops listening for signals once disposed', async () => {
    const server = await start();
    const proc = fakeProcess();
    const dispose = closeOnSignals(server, proc);
    dispose();
    expect(proc.signals.listenerCount('SIGTERM') + proc.signals.listenerCount('SIGINT')).toBe(0);
  });
});

describe('banner', () => {
  it('is one JSON line with the address, the docs and every demo credential when the log format is json', async () => {
    const server = await start();
    const text = banner(server, 'json');
    expect(text).not.toContain('\n');
    const entry = JSON.parse(text) as { providers: { provider: string; credentials: { value: string; example: string }[] }[] };
    expect(entry).toMatchObject({ level: 30, msg: `provider-mock listening on ${server.url}`, url: server.url, docs: `${server.url}/docs` });
    expect(entry.providers.map((provider) => provider.provider)).toEqual(providers.map((provider) => provider.slug));
    for (const provider of entry.providers) {
      const expected = server.app.mock.storeOf(provider.provider).demoCredentials();
      expect(provider.credentials.map((credential) => credential.value)).toEqual(expected.map((credential) => credential.value));
      for (const credential of provider.credentials) expect(credential.example).toContain(server.url);
    }
  });

  it('is readable lines for a person otherwise, each provider under its title', async () => {
    const server = await start();
    const lines = banner(server, 'pretty').split('\n');
    expect(lines[0]).toBe(`provider-mock listening on ${server.url}`);
    for (const provider of providers) expect(lines).toContain(provider.title);
  });

  it('counts the users of a large organisation and names the first few, not all of them', async () => {
    const server = await start();
    const users = `${server.url}/__mock/datonis/accounts/a7c2e9f41b/users`;
    for (let i = 0; i < 30; i++) {
      await fetch(users, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ first_name: `Named${i}` }) });
    }
    const line = banner(server, 'pretty')
      .split('\n')
      .find((text) => text.includes('Named'));
    expect(line).toMatch(/\(\d+ users: \w+, \w+, \w+, \w+, \w+, …\)/);
    expect(line).not.toContain('Named29');
    expect(line!.length).toBeLessThan(200);
  });
});
