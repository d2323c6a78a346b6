import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FaultAction, FaultCall } from '../state/faults.js';
import { parsePrefer } from './prefer.js';
import type { FaultState } from '../state/state.js';
import { settle } from '../state/step.js';
import { breakConnection } from './broken-connections.js';
import { type DocumentedAnswer, documentedAnswer } from './documented-examples.js';
import { MockHttpError } from './http-error.js';
import { providerOf } from './request-provider.js';
import { createRequestSlot } from './request-slot.js';
import type { RefusalRecorder } from './request-recording.js';
import type { ShutdownTracker } from './shutdown.js';
import { sendSerialized } from './text-cache.js';

/** What forcing an answer needs of a provider. */
interface ForcedProvider {
  slug: string;
  /** The caller's key or token however the provider takes it; undefined when none is readable. */
  credential(request: FastifyRequest): string | undefined;
}

/** A request as a fault sees it: its route and credential read only when a fault asks. */
class RequestCall implements FaultCall {
  readonly method: string;

  constructor(
    private readonly request: FastifyRequest,
    private readonly provider: ForcedProvider,
  ) {
    this.method = request.method;
  }

  route(): string | undefined {
    // request.routeOptions is built anew at each read
    return this.request.routeOptions.url;
  }

  credential(): string | undefined {
    return this.provider.credential(this.request);
  }
}

/** A fault's headers, put on the answer as it leaves, so that they replace those the route or its error format set. */
const forcedHeadersSlot = createRequestSlot<Record<string, string>>('a fault’s headers');

/** The onSend hook that puts a fault's headers on the answer, last. */
export function forcedHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void): void {
  const headers = forcedHeadersSlot.find(request);
  if (headers) reply.headers(headers);
  done(null, payload);
}

/**
 * A `code` the route can send: an error status (answered in the provider's format), or one of the
 * route's own statuses below 400 (answered normally).
 */
function sendable(status: number, request: FastifyRequest): boolean {
  if (status >= 400 && status <= 599) return true;
  const declared = request.routeOptions.schema?.response as Record<string, unknown> | undefined;
  return declared !== undefined && String(status) in declared;
}

/** What a call is forced to: a fault's action, or a documented example's answer (which wins over a `code`). */
interface ForcedAction extends FaultAction {
  answer?: DocumentedAnswer;
}

/** The Prefer header's action; throws a 400 naming a preference whose value cannot be honoured. */
function preferred(request: FastifyRequest, slug: string): ForcedAction | undefined {
  const preference = parsePrefer(request.headers.prefer);
  if (!preference) return undefined;
  const { status, example, problem } = preference;
  if (problem) throw new MockHttpError(400, problem);
  if (example !== undefined) return { ...preference, answer: documentedAnswer(slug, example, request) };
  if (status !== undefined && !sendable(status, request)) {
    throw new MockHttpError(400, `Prefer: code=${status} is not a status this route can send (400 to 599, or its own)`);
  }
  return preference;
}

/** What breaking a connection needs: where a hung one is held, and where a call left unanswered is journaled. */
export interface Breaking {
  shutdown: ShutdownTracker;
  refusals: RefusalRecorder;
}

/** Applies a fault's action: after its delay, breaks the connection, or keeps its headers for the answer and throws its status. */
function apply(action: ForcedAction, request: FastifyRequest, reply: FastifyReply, breaking: Breaking, done: (error?: Error) => void) {
  const run = () => {
    if (action.connection && breakConnection(action.connection, request, reply, breaking.shutdown)) {
      // no hook sees a call whose connection is broken: it is journaled here, as status 0 (a client sees none either)
      const { method, url, headers } = request;
      breaking.refusals.record({ method, url, provider: providerOf(request), headers, status: 0, request });
      return;
    }
    if (action.answer) {
      // answered as documented, from this hook: no later step runs
      sendSerialized(reply.code(action.answer.status), JSON.stringify(action.answer.body));
      return;
    }
    if (action.headers) forcedHeadersSlot.set(request, action.headers);
    if (action.status !== undefined && action.status >= 400) {
      done(new MockHttpError(action.status, action.message ?? ''));
      return;
    }
    done();
  };
  if (action.delayMs) setTimeout(run, action.delayMs);
  else run();
}

/**
 * The onRequest hook that applies a `Prefer` header or the next step of a registered fault. A
 * forced status is thrown, so that the provider's own error handler writes it in its format. A
 * callback hook: with no Prefer header and no fault it returns at once, without a promise.
 */
export function forcedAnswers(provider: ForcedProvider, faults: FaultState, breaking: Breaking) {
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    settle(
      () => preferred(request, provider.slug) ?? faults.take(provider.slug, new RequestCall(request, provider)),
      (action) => {
        if (action) apply(action, request, reply, breaking, done);
        else done();
      },
      done,
    );
  };
}
