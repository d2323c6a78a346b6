import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionFault } from '../state/faults.js';
import type { RefusalRecorder } from './request-recording.js';

/**
 * The connections that would hold up shutdown though no answer is owed on them: those a `hang`
 * fault holds open, and those over which nothing was ever sent (a client's pool opens one ahead
 * of its next request; Node counts it as busy, not idle, and would wait for its headers timeout).
 * Both are destroyed when the app closes, in its preClose hook, before the server waits for the
 * requests in flight, so that shutdown still drains within its limit. A client that gives up first
 * closes its own.
 */
export class HeldConnections {
  private readonly hung = new Set<Socket>();
  private readonly open = new Set<Socket>();
  private closing = false;

  /** `refusals` journals the calls whose connection is broken: they get no answer, so no hook sees them. */
  constructor(private readonly refusals?: RefusalRecorder) {}

  /** Journals a call left without an answer, as status 0 (a client sees no status either). */
  unanswered(request: FastifyRequest, provider: string | null): void {
    const { method, url, headers } = request;
    this.refusals?.record({ method, url, provider, headers, status: 0, request });
  }

  install(app: FastifyInstance): void {
    app.server.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.once('close', () => this.open.delete(socket));
    });
    app.addHook('preClose', (done) => {
      this.closing = true;
      for (const socket of this.hung) socket.destroy();
      this.hung.clear();
      for (const socket of this.open) if (socket.bytesRead === 0) socket.destroy();
      done();
    });
  }

  hold(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    this.hung.add(socket);
    socket.once('close', () => this.hung.delete(socket));
  }
}

/** Sends the answer's headers and the first half of its body, then closes the connection. */
function truncate(response: ServerResponse): void {
  // Fastify ends every answer with one `end(payload)` call (reply.js, writePayload)
  response.end = ((chunk?: unknown) => {
    const body = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? Buffer.from(chunk) : Buffer.alloc(0);
    response.write(body.subarray(0, Math.floor(body.length / 2)), () => response.destroy());
    return response;
  }) as ServerResponse['end'];
}

/**
 * Breaks the connection of a call as a fault asks. Answers true when the call is done with (the
 * reply hijacked: nothing more may run), false when it goes on to be answered (`truncate`).
 */
export function breakConnection(fault: ConnectionFault, request: FastifyRequest, reply: FastifyReply, hung: HeldConnections): boolean {
  if (fault === 'truncate') {
    truncate(reply.raw);
    return false;
  }
  reply.hijack();
  const socket = request.raw.socket;
  if (fault === 'reset') {
    // a TCP reset where there is one (a real socket), a plain close elsewhere (inject's)
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  } else if (fault === 'empty') {
    // a close (FIN) with no bytes, once anything already written has left
    socket.destroySoon();
  } else {
    hung.hold(socket);
  }
  return true;
}
