import { EventEmitter } from 'node:events';
import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, closeOnSignals, startServer } from '../../src/server.js';

const CONNECTIONS = 200;
const PLASPY = { authorization: 'Bearer plaspy-demo-token' };

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => undefined);
  server = undefined;
});

type Outcome = { status: number; connection: string | undefined } | { error: string; reused: boolean };

function get(url: string, agent: Agent): Promise<Outcome> {
  return new Promise((resolve) => {
    const outgoing = request(`${url}/api/users`, { agent, headers: PLASPY }, (incoming) => {
      incoming.resume();
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, connection: incoming.headers.connection }));
      incoming.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reused: outgoing.reusedSocket }));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, reused: outgoing.reusedSocket }));
    outgoing.end();
  });
}

describe('SIGTERM under keep-alive load', () => {
  it('answers every request sent on a connection it took, with Connection: close, and resets none of them', async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, users: 5 });
    const { url } = server;
    const signals = new EventEmitter();
    let exited: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => {
      exited = resolve;
    });
    closeOnSignals(server, { signals, exit: (code) => exited(code) });
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const outcomes: Outcome[] = [];
    let answered = 0;
    let signalled = false;
    // each client asks in turn on its own kept-alive connection, a bounded number of times, until refused
    const clients = Array.from({ length: CONNECTIONS }, async () => {
      for (let i = 0; i < 20; i++) {
        const outcome = await get(url, agent);
        outcomes.push(outcome);
        if ('error' in outcome) return;
        answered++;
        if (answered === CONNECTIONS * 2 && !signalled) {
          signalled = true;
          signals.emit('SIGTERM', 'SIGTERM');
        }
      }
    });
    await Promise.all(clients);
    agent.destroy();
    expect(await exit).toBe(0);
    const onKeptConnections = outcomes.flatMap((outcome) => ('error' in outcome && outcome.reused ? [outcome.error] : []));
    const statuses = outcomes.flatMap((outcome) => ('status' in outcome ? [outcome.status] : []));
    expect(signalled).toBe(true);
    // a request sent on a connection the server had taken is answered, never reset (20 were); a
    // connection still in the listening socket's backlog when it closes is the kernel's to reset
    expect(onKeptConnections).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([200]));
    const last = outcomes.filter((outcome): outcome is Extract<Outcome, { status: number }> => 'status' in outcome).at(-1);
    expect(last?.connection).toBe('close');
  }, 60_000);
});
