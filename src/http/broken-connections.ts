import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConnectionFault } from '../state/faults.js';
import type { ShutdownTracker } from './shutdown.js';

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
export function breakConnection(fault: ConnectionFault, request: FastifyRequest, reply: FastifyReply, shutdown: ShutdownTracker): boolean {
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
    shutdown.hold(socket);
  }
  return true;
}
