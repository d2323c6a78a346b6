import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import type { Clock } from '../state/clock.js';
import type { JournalState } from '../state/state.js';
import { refusalReason } from './credential-refusal.js';
import { journaled } from './journaled-paths.js';
import { type OptimisticCalls, putOn } from './optimistic-calls.js';
import { providerOf } from './request-provider.js';
import { credentialIdentity, redactUrl } from './redaction.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** performance.now() when the request arrived. */
    mockArrivedAt: number;
  }
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
  /** The answer's body, when one was written (a JSON error envelope). */
  responseBody?: string;
  /** The request, when Fastify made one (a call whose connection a fault broke): its query and parameters are read from it. */
  request?: FastifyRequest;
}

/** Reads the credential of a request the provider `slug` served, however it takes one. */
export type CredentialReader = (slug: string, request: FastifyRequest) => string | undefined;

/**
 * The request's credential as its provider reads it (path, query however encoded, header, a Basic
 * user name); undefined when it carried none. A reader that cannot read a request only half made
 * (a refusal) finds none. The journal shows its identity, and redacts it wherever it shows when
 * read; the log line's URL is redacted with it.
 */
function secretOf(read: CredentialReader, provider: string | null, request: FastifyRequest): string | undefined {
  if (provider === null) return undefined;
  try {
    // a reader may hand back what the request holds unvalidated (a repeated `?key=`, an array, on an unknown path)
    const secret: unknown = read(provider, request);
    return typeof secret === 'string' && secret !== '' ? secret : undefined;
  } catch {
    return undefined;
  }
}

/** A refused request as a credential reader sees it: its headers and the query of its URL. */
function refusedRequest(url: string, headers: Record<string, unknown>): FastifyRequest {
  const query = url.indexOf('?');
  const parameters = query === -1 ? {} : Object.fromEntries(new URLSearchParams(url.slice(query + 1)));
  return { url, headers, query: parameters, params: {} } as unknown as FastifyRequest;
}

/**
 * Where the refusals made before routing are journaled and logged: created before the app (the
 * options that refuse are given to Fastify's constructor), connected to the journal and the
 * logger by requestRecording.
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

interface LogLine {
  method: string;
  url: string;
  provider: string | null;
  status: number;
  durationMs: number;
}

/** The access line of one answer, its URL with the credential redacted wherever the provider read it from. */
function logLine(log: FastifyInstance['log'], line: LogLine, secret: string | undefined): void {
  const url = redactUrl(line.url, secret);
  log.info({ method: line.method, url, provider: line.provider, status: line.status, durationMs: line.durationMs }, `${line.method} ${url} ${line.status} ${line.provider ?? '-'} ${line.durationMs} ms`);
}

/** What recording needs: where entries go, the mock's clock, whether to log, and whether the server is closing. */
export interface Recording {
  journal: JournalState;
  clock: Clock;
  logRequests: boolean;
  refusals: RefusalRecorder;
  readCredential?: CredentialReader;
  /** Whether the server is closing: each answer still to be sent then says `Connection: close`. */
  closing: () => boolean;
  /** With a shared state: calls answered on a view, whose journal entry is checked against it. */
  calls?: OptimisticCalls;
}

/** Stamps the request's arrival, which its journal entry and log line measure from. */
export function stampArrival(request: FastifyRequest): void {
  // a run answering a call again carries the call's arrival (http/optimistic-calls.ts)
  if (request.mockArrivedAt === 0) request.mockArrivedAt = performance.now();
}

/**
 * Every answer is journaled, and logged when `logRequests`, as it is sent: the onSend hook this
 * answers, installed by the app with the arrival stamp (`stampArrival`, onRequest). Hooks that run
 * in the request's own path do it: an onResponse hook would make Fastify add and remove listeners
 * on every response, which cost more than the rest of a small answer. Once the server is closing,
 * each answer still to be sent says `Connection: close`, so that a keep-alive connection whose
 * request was in flight ends with its answer rather than hold the server open.
 */
export function requestRecording(app: FastifyInstance, recording: Recording): onSendHookHandler {
  const { journal, clock, logRequests, refusals, closing, calls, readCredential = () => undefined } = recording;
  const log = app.log;
  refusals.connect(({ method, url, provider, headers, status, responseBody, request }) => {
    const ms = request ? durationMs(request) : 0;
    const secret = secretOf(readCredential, provider, request ?? refusedRequest(url, headers));
    if (journaled(url)) {
      journal.recordRequest({
        time: clock(),
        provider,
        method,
        url,
        query: request?.query ?? {},
        headers,
        body: request?.body,
        status,
        responseBody,
        responseType: responseBody === undefined ? undefined : 'application/json',
        credential: secret === undefined ? null : credentialIdentity(secret),
        secret,
        durationMs: ms,
      });
    }
    if (logRequests) logLine(log, { method, url, provider, status, durationMs: ms }, secret);
  });
  app.decorateRequest('mockArrivedAt', 0);
  return (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    if (closing()) reply.header('connection', 'close');
    const { url, method } = request;
    const record = journaled(url);
    // answered by a run of its own request, which journaled and logged it
    if ((!record && !logRequests) || calls?.answeredAgain(request)) {
      done();
      return;
    }
    const provider = providerOf(request);
    const status = reply.statusCode;
    const ms = durationMs(request);
    const secret = secretOf(readCredential, provider, request);
    const view = calls?.viewOf(request);
    // a call answered on a view is logged once its entry, checked against the view, is stored
    if (logRequests && !view) logLine(log, { method, url, provider, status, durationMs: ms }, secret);
    if (!record) {
      done();
      return;
    }
    const { query, headers, body } = request;
    const responseType = reply.getHeader('content-type');
    // a shared journal answers once the entry is stored, so that any replica lists it as soon as
    // the answer arrives; the memory journal at once
    const stored = journal.recordRequest({
      time: clock(),
      provider,
      method,
      url,
      query,
      headers,
      body,
      status,
      responseBody: payload,
      responseType: typeof responseType === 'string' ? responseType : undefined,
      credential: secret === undefined ? null : credentialIdentity(secret),
      secret,
      durationMs: ms,
      reason: status === 401 ? refusalReason(request) : undefined,
    }, view);
    if (!(stored instanceof Promise)) done();
    else if (!view || !calls) stored.then(() => done(), () => done());
    else {
      stored.then((outcome) => {
        if (outcome !== 'stale') {
          if (logRequests) logLine(log, { method, url, provider, status, durationMs: ms }, secret);
          done();
          return;
        }
        // the state moved since the call arrived: this answer may be stale, so the call is answered again
        calls.answerAgain(request).then((answer) => {
          putOn(reply, answer);
          if (closing()) reply.header('connection', 'close');
          done(null, answer.rawPayload);
        }, done);
      }, done);
    }
  };
}
