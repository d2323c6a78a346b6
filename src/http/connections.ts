import type { ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/** How long a client may take over its side of a connection; each beyond is closed (see connectionOptions). */
export interface ConnectionLimits {
  /** To send a whole request, headers and body; then a 408 in the owner's format and the connection closed. */
  requestTimeoutMs: number;
  /** To send the headers of a request. */
  headersTimeoutMs: number;
  /**
   * With no byte moving either way (a client that reads none of its answer, say): the connection is
   * closed, and the answer it held freed. Above the longest delay a fault may add (60 s).
   */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the request and headers timeouts: a stalled request is closed within timeout + this. */
  checkEveryMs: number;
}

export const CONNECTION_LIMITS: ConnectionLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 20_000,
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  checkEveryMs: 5_000,
};

/** Fastify's and Node's options for the limits. Fastify's defaults switch the request timeout off. */
export function connectionOptions(limits: ConnectionLimits): Pick<
  FastifyServerOptions,
  'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout' | 'return503OnClosing'
> & { http: ServerOptions } {
  return {
    // a request that reaches a closing server was sent before the client knew: it is answered, with Connection: close
    return503OnClosing: false,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: limits.checkEveryMs,
      // a request without Host is refused by the mock in the owner's format, not by Node's bare 400
      requireHostHeader: false,
    },
  };
}

interface Turn {
  response: ServerResponse;
  run: () => void;
}

/** Requests parsed on a connection and waiting for their turn, oldest first. */
const waiting = new WeakMap<Socket, Turn[]>();

/** Runs the waiting requests whose turn has come: their answer is next on the connection, and it has drained. */
function next(socket: Socket): void {
  const queue = waiting.get(socket);
  if (!queue) return;
  while (queue.length > 0 && queue[0]!.response.socket !== null && !socket.writableNeedDrain) queue.shift()!.run();
  if (queue.length === 0) forget(socket);
}

function drained(this: Socket): void {
  next(this);
}

/** The client left: the requests still waiting are never run, so never counted. */
function closed(this: Socket): void {
  forget(this);
}

function forget(socket: Socket): void {
  waiting.delete(socket);
  socket.off('drain', drained);
  socket.off('close', closed);
}

/**
 * Whether the request must wait for its turn on its connection; `then(request, arg)` runs when it
 * comes (never, if the client leaves first). Node parses every request a client pipelines in a
 * chunk, and Fastify would run them all at once, keeping each answer until the client reads the
 * ones before it: 20 connections pipelining 1,000 large pages each and reading nothing held 2 GB
 * and kept the server busy for minutes. Here a
 * request runs only when its answer is the next to go out on its connection and the answers before
 * it have drained to the kernel: a client that reads nothing holds at most one answer, and costs no
 * more work. (Node itself stops reading the connection meanwhile.) At shutdown, a request still
 * waiting is never run: the answer in flight says `Connection: close`, and the connection ends
 * after it (http/shutdown.ts closes the others).
 */
export function waitsItsTurn<A>(request: FastifyRequest, reply: FastifyReply, then: (request: FastifyRequest, arg: A) => void, arg: A): boolean {
  const socket = request.raw.socket;
  const response = reply.raw;
  // the usual case: nothing before it on its connection
  if (response.socket !== null && !socket.writableNeedDrain && !waiting.has(socket)) return false;
  if (socket.destroyed) return true;
  let queue = waiting.get(socket);
  if (!queue) {
    queue = [];
    waiting.set(socket, queue);
    socket.on('drain', drained);
    socket.once('close', closed);
  }
  queue.push({ response, run: () => then(request, arg) });
  // Node hands the connection to this answer once the one before it is finished
  if (response.socket === null) response.once('socket', () => next(socket));
  return true;
}
