import type { ServerResponse } from 'node:http';
import { Server as NetServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Servers shutting down: their health check fails, and every answer closes its connection. */
const closing = new WeakSet<Server>();

/** Whether the server that took this request is shutting down. */
export function shuttingDown(request: FastifyRequest): boolean {
  const server = (request.raw.socket as Socket & { server?: Server }).server;
  return server !== undefined && closing.has(server);
}

/** How long shutdown waits for the first request of a connection taken that has sent nothing yet. */
const GRACE_MS = 1_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One turn of the event loop, its reading of sockets included: what a client had sent by now is parsed after it. */
const oneTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * The one tracker of connections at shutdown. When the app closes (its preClose hook, before the
 * server waits for the requests in flight), every answer says `Connection: close`; requests a
 * client had sent already are read first (one turn of the event loop) and answered so; then every
 * connection that owes no answer is destroyed, so that shutdown drains within its limit: idle ones,
 * those a client's pool opened ahead of its next request (given their first request up to
 * GRACE_MS), those mid-headers, those whose request body is still arriving (a client stalled
 * mid-body held the process until the shutdown time limit ran out), and those a `hang` fault holds
 * open. Closed at once, 20 to 37 requests that 200 keep-alive clients had sent on connections
 * already taken were reset, unread.
 */
export class ShutdownTracker {
  private readonly open = new Set<Socket>();
  private readonly hung = new Set<Socket>();
  private shuttingDown = false;

  /** Whether the app is closing: every answer then says `Connection: close` (request-recording.ts puts it on). */
  get closing(): boolean {
    return this.shuttingDown;
  }

  install(app: FastifyInstance): void {
    app.server.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
    app.addHook('preClose', async () => {
      this.shuttingDown = true;
      closing.add(app.server);
      for (const socket of this.hung) socket.destroy();
      this.hung.clear();
      await oneTurn();
      // then no more, as net stops listening, without http's closing of idle connections: a client
      // told to close that connects again is refused
      NetServer.prototype.close.call(app.server);
      await oneTurn();
      const until = Date.now() + GRACE_MS;
      while (Date.now() < until && [...this.open].some((socket) => socket.bytesRead === 0)) await pause(10);
      for (const socket of this.open) if (!answering(socket) && socket.writableLength === 0) socket.destroy();
    });
  }

  /** Holds a connection open with no answer (a `hang` fault) until the client leaves or the app closes. */
  hold(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.hung.add(socket);
    socket.once('close', () => this.hung.delete(socket));
  }
}

/** Whether a connection carries a whole request whose answer is not yet written. */
function answering(socket: Socket): boolean {
  const current = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  return current != null && !current.writableFinished && current.req.complete;
}
