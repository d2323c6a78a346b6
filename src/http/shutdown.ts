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

/**
 * How long shutdown keeps taking connections a client had opened already, and for how long none
 * may have come for it to stop. The kernel completes a connection before the server takes it, and
 * resets those not taken when the server stops listening; Node takes one a turn of the event loop.
 * 200 clients connecting at once left up to 197 untaken at SIGTERM (up to 174 were reset before
 * this); taking them until a wait of 20 ms took none took 78 to 579 ms on two busy cores.
 */
const DRAIN_MS = 2_000;
const QUIET_MS = 20;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One turn of the event loop, its reading of sockets included: what a client had sent by now is parsed after it. */
const oneTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * The one tracker of connections at shutdown. When the app closes (its preClose hook, before the
 * server waits for the requests in flight), every answer says `Connection: close`; requests a
 * client had sent already are read first (one turn of the event loop) and answered so, and so are
 * those on connections the kernel holds for the server (it takes them until none comes for
 * QUIET_MS, at most DRAIN_MS), before it stops listening; then every
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
  private isClosing = false;
  private taken = 0;
  private lastTaken = 0;

  /** Whether the app is closing: every answer then says `Connection: close` (request-recording.ts puts it on). */
  get closing(): boolean {
    return this.isClosing;
  }

  install(app: FastifyInstance): void {
    app.server.on('connection', (socket: Socket) => {
      this.taken++;
      this.lastTaken = Date.now();
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
    app.addHook('preClose', async () => {
      this.isClosing = true;
      closing.add(app.server);
      for (const socket of this.hung) socket.destroy();
      this.hung.clear();
      const taken = this.taken;
      await oneTurn();
      await this.takeWaiting(taken);
      // then no more, as net stops listening, without http's closing of idle connections: a client
      // that connects again from now on is refused
      NetServer.prototype.close.call(app.server);
      await oneTurn();
      const until = Date.now() + GRACE_MS;
      while (Date.now() < until && [...this.open].some((socket) => socket.bytesRead === 0)) await pause(10);
      for (const socket of this.open) if (!answering(socket) && socket.writableLength === 0) socket.destroy();
    });
  }

  /**
   * Takes the connections the kernel holds for the server until none came for QUIET_MS, at most
   * DRAIN_MS, `since` being the count taken before the last turn of the event loop. Quiet by the
   * clock alone was not enough: a busy server went 20 ms between two takes with 113 still waiting;
   * so quiet also means a wait, its poll of sockets included, took none.
   */
  private async takeWaiting(since: number): Promise<void> {
    const until = Date.now() + DRAIN_MS;
    let before = since;
    while (this.taken !== before || Date.now() - this.lastTaken < QUIET_MS) {
      if (Date.now() >= until) return;
      before = this.taken;
      await pause(5);
    }
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
