import type { ServerOptions, ServerResponse } from 'node:http';
import { Server as NetServer, type Server, type Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';

/** How long a client may take over its side of a connection; each beyond is closed (see installConnectionLimits). */
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

/** Servers shutting down: their health check fails, and every answer closes its connection. */
const closing = new WeakSet<Server>();

/** Whether the server that took this request is shutting down. */
export function shuttingDown(request: FastifyRequest): boolean {
  const server = (request.raw.socket as Socket & { server?: Server }).server;
  return server !== undefined && closing.has(server);
}

/** The answer a connection is writing, if any. */
function answerOf(socket: Socket): ServerResponse | null | undefined {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
}

/** How long shutdown waits for the first request of a connection taken that has sent nothing yet. */
const GRACE_MS = 1_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One turn of the event loop, its reading of sockets included: what a client had sent by now is parsed after it. */
const oneTurn = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Node parses every request a client pipelines in a chunk, and Fastify would run them all at once,
 * keeping each answer until the client reads the ones before it: 20 connections pipelining 1,000
 * large pages each and reading nothing held 2 GB and kept the server busy for minutes. Here a
 * request runs only when its answer is the next to go out on its connection and the answers before
 * it have drained to the kernel: a client that reads nothing holds at most one answer, and costs no
 * more work. (Node itself stops reading the connection meanwhile.) At shutdown, a request still
 * waiting is never run: the answer in flight says `Connection: close`, and the connection ends
 * after it.
 *
 * At shutdown, every answer says `Connection: close`, and the connection ends after it. Requests a
 * client had sent already are read first (one turn of the event loop) and answered so; then the
 * connections with no request being answered are closed: idle ones, those mid-headers, and those
 * whose request body is still arriving (a client stalled mid-body held the process until the
 * shutdown time limit ran out). Closed at once, 20 to 37 requests that 200 keep-alive clients had
 * sent on connections already taken were reset, unread. A connection still in the listening
 * socket's backlog when it closes is reset by the kernel: under load, most of the resets left.
 */
export function installConnectionLimits(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    const socket = request.raw.socket;
    const response = reply.raw;
    // the usual case: nothing before it on its connection
    if (response.socket !== null && !socket.writableNeedDrain && !waiting.has(socket)) {
      done();
      return;
    }
    if (socket.destroyed) return;
    let queue = waiting.get(socket);
    if (!queue) {
      queue = [];
      waiting.set(socket, queue);
      socket.on('drain', drained);
      socket.once('close', closed);
    }
    queue.push({ response, run: () => done() });
    // Node hands the connection to this answer once the one before it is finished
    if (response.socket === null) response.once('socket', () => next(socket));
  });

  const connections = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (shuttingDown(request)) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('preClose', async () => {
    closing.add(app.server);
    // what clients had sent on the connections taken is read, and answered with Connection: close
    await oneTurn();
    // then no more, as net stops listening, without http's closing of idle connections: a client told to
    // close that connects again is refused
    NetServer.prototype.close.call(app.server);
    await oneTurn();
    // a connection just taken whose client has sent nothing yet is given its first request, up to a bound
    const until = Date.now() + GRACE_MS;
    while (Date.now() < until && [...connections].some((socket) => socket.bytesRead === 0)) await pause(10);
    for (const socket of connections) {
      const current = answerOf(socket);
      const answering = current != null && !current.writableFinished && current.req.complete;
      if (!answering && socket.writableLength === 0) socket.destroy();
    }
  });
}
