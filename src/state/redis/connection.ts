import { Redis, ReplyError } from 'ioredis';
import { MockHttpError } from '../../http/http-error.js';

/** Where the state is, for messages: scheme, host, port and database, never a password. */
export function describeStore(url: string): string {
  const parsed = new URL(url);
  return `Redis at ${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

/** A provider call or control-plane step that needs the shared state while it cannot be reached. */
export class StateUnavailable extends MockHttpError {
  constructor(store: string, cause: Error) {
    super(503, `The mock's shared state (${store}) ${isRefusal(cause) ? 'refuses to write' : 'cannot be reached'}: ${cause.message}`);
    this.name = 'StateUnavailable';
  }
}

/** How long a command may wait for Redis before its request answers 503 rather than hang. */
export const COMMAND_TIMEOUT_MS = 2_000;

/**
 * A client that fails fast while Redis is away (no queue of commands waiting for it, a short
 * timeout) and reconnects by itself every quarter second, so that service resumes when Redis does.
 */
export function connect(url: string): Redis {
  return writingOncePerTurn(
    new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: COMMAND_TIMEOUT_MS,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 250,
    }),
  );
}

/**
 * The commands sent within one turn of the event loop leave in one write: the socket is corked at
 * the first and uncorked once the turn's I/O is handled. Each command keeps its own reply and
 * timeout (ioredis's auto-pipelining would hold every reply of a batch until its slowest, so that
 * a read waits behind a write Redis holds back). A write per command was the replicas' largest
 * cost: under `--cpu-prof`, one replica on Plaspy get spent 18% of its samples in the socket
 * write of its commands. Plaspy get, one replica, 4 connections, 3 × 3,000 answers each way
 * (`perf stat`, a loaded machine): 2.9 writes to Redis per answer before, 1.0 after; the
 * replica's CPU 436 to 562 µs per answer before, 403 to 487 after.
 */
function writingOncePerTurn(redis: Redis): Redis {
  const send = redis.sendCommand.bind(redis);
  let corked: Redis['stream'] | undefined;
  const uncork = () => {
    corked?.uncork();
    corked = undefined;
  };
  redis.sendCommand = (command, stream) => {
    const socket = redis.stream;
    if (stream === undefined && corked === undefined && socket?.writable) {
      corked = socket;
      socket.cork();
      setImmediate(uncork);
    }
    return send(command, stream);
  };
  return redis;
}

/**
 * Redis's answers that refuse a command for a while rather than for a fault of the command: out of
 * memory (maxmemory with noeviction), a replica that only reads, a failed save that stops writes,
 * a transaction aborted by one of these, a script running too long, a server still loading.
 */
const REFUSALS = /^(OOM|READONLY|MISCONF|EXECABORT|BUSY|LOADING|MASTERDOWN|NOREPLICAS|TRYAGAIN|CLUSTERDOWN) /;

/** Whether Redis refused the command for now (an outage), not for a fault of the command. */
export function isRefusal(error: unknown): boolean {
  return error instanceof ReplyError && REFUSALS.test((error as Error).message);
}

/**
 * The step's promise, with a failure to reach Redis, or Redis refusing to write for now, turned
 * into a 503 that each provider writes in its own envelope; another error that Redis answered (a
 * bug in a script) stays what it is.
 */
export function guarded<T>(store: string, step: Promise<T>): Promise<T> {
  return step.catch((error: unknown) => {
    if (error instanceof ReplyError && !isRefusal(error)) throw error;
    throw new StateUnavailable(store, error instanceof Error ? error : new Error(String(error)));
  });
}
