import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../state/clock.js';
import type { JournalState } from '../state/state.js';
import { providerOf } from './provider-hooks.js';
import { redactUrl } from './redaction.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived. */
    mockArrivedAt: number;
  }
}

/** Paths whose requests the journal leaves out: the control plane and the docs. */
function journaled(url: string): boolean {
  return !url.startsWith('/__mock/') && !url.startsWith('/docs');
}

function durationMs(request: FastifyRequest): number {
  return Math.round((performance.now() - request.mockArrivedAt) * 10) / 10;
}

/** A request refused before Fastify made a request of it (bytes that are not HTTP, headers too large, CONNECT), or by the router. */
export interface Refusal {
  method: string;
  url: string;
  provider: string | null;
  headers: Record<string, unknown>;
  status: number;
}

/**
 * Where the refusals made before routing are journaled and logged: created before the app (the
 * options that refuse are given to Fastify's constructor), connected to the journal and the
 * logger by installRequestRecording.
 */
export class RefusalRecorder {
  private sink: ((refusal: Refusal) => void) | undefined;

  record(refusal: Refusal): void {
    this.sink?.(refusal);
  }

  connect(sink: (refusal: Refusal) => void): void {
    this.sink = sink;
  }
}

function logLine(request: { log: FastifyInstance['log'] } | FastifyInstance, line: { method: string; url: string; provider: string | null; status: number; durationMs: number }): void {
  const url = redactUrl(line.url);
  request.log.info({ ...line, url }, `${line.method} ${url} ${line.status} ${line.provider ?? '-'} ${line.durationMs} ms`);
}

/**
 * Every answer is journaled, and logged when `logRequests`, as it is sent. Hooks that run in the
 * request's own path do it: an onResponse hook would make Fastify add and remove listeners on
 * every response, which cost more than the rest of a small answer. Once the server is closing,
 * each answer still to be sent says `Connection: close`, so that a keep-alive connection whose
 * request was in flight ends with its answer rather than hold the server open.
 */
export function installRequestRecording(
  app: FastifyInstance,
  journal: JournalState,
  clock: Clock,
  logRequests: boolean,
  refusals: RefusalRecorder,
): void {
  refusals.connect(({ method, url, provider, headers, status }) => {
    if (journaled(url)) journal.recordRequest({ time: clock(), provider, method, url, query: {}, headers, body: undefined, status, durationMs: 0 });
    if (logRequests) logLine(app, { method, url, provider, status, durationMs: 0 });
  });
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.decorateRequest('mockArrivedAt', 0);
  app.addHook('onRequest', (request, _reply, done) => {
    request.mockArrivedAt = performance.now();
    done();
  });
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, _payload, done) => {
    if (closing) reply.header('connection', 'close');
    const { url, method } = request;
    const record = journaled(url);
    if (!record && !logRequests) {
      done();
      return;
    }
    const provider = providerOf(request);
    const status = reply.statusCode;
    const ms = durationMs(request);
    if (logRequests) {
      logLine(request, { method, url, provider, status, durationMs: ms });
    }
    if (!record) {
      done();
      return;
    }
    const { query, headers, body } = request;
    // a shared journal answers once the entry is stored, so that any replica lists it as soon as
    // the answer arrives; the memory journal at once
    const stored = journal.recordRequest({ time: clock(), provider, method, url, query, headers, body, status, durationMs: ms });
    if (stored instanceof Promise) stored.then(() => done(), () => done());
    else done();
  });
}
