import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * The one tracker of connections at shutdown. When the app closes (its preClose hook, before the
 * server waits for the requests in flight), every connection that owes no answer is destroyed, so
 * that shutdown drains within its limit: idle ones, those a client's pool opened ahead of its next
 * request (Node counts them busy and would wait for their headers timeout), those mid-headers, those
 * whose request body is still arriving (a client stalled mid-body held the process until the
 * shutdown time limit ran out), and those a `hang` fault holds open. A client that gives up first
 * closes its own.
 */
export class ShutdownTracker {
  private readonly open = new Set<Socket>();
  private readonly hung = new Set<Socket>();
  private closing = false;

  install(app: FastifyInstance): void {
    app.server.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
    app.addHook('preClose', (done) => {
      this.closing = true;
      for (const socket of this.hung) socket.destroy();
      this.hung.clear();
      for (const socket of this.open) if (!answering(socket) && socket.writableLength === 0) socket.destroy();
      done();
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
