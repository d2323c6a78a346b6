import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { CallView, ViewState } from '../state/state.js';
import { StaleView } from '../state/state.js';
import { type Step, settle } from '../state/step.js';
import { MockHttpError } from './http-error.js';
import { journaled } from './journaled-paths.js';
import { createRequestSlot } from './request-slot.js';

/** The view a call is answered on, until a step checked against it passed. */
const viewSlot = createRequestSlot<CallView>('the view a call is answered on');
/** Set on a call whose answer came from answering it again: that run journaled and logged it. */
const answeredAgainSlot = createRequestSlot<true>('answered again');

/** Marks the run that answers a call again; its value names the call (never a client's to guess). */
const AGAIN_HEADER = 'x-mock-answer-again';

/** Headers of the run's answer that the call's own connection sets for itself. */
const CONNECTION_HEADERS = new Set(['content-length', 'connection', 'keep-alive', 'transfer-encoding', 'date']);

/** A call that may be answered on what this replica knows: a journaled GET (its entry checks the view) with no body. */
function mayGoOnView(request: FastifyRequest): boolean {
  const { method, url, headers } = request;
  return (
    method === 'GET' &&
    headers['transfer-encoding'] === undefined &&
    (headers['content-length'] === undefined || headers['content-length'] === '0') &&
    journaled(url)
  );
}

interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  rawPayload: Buffer;
}

/**
 * With several replicas on one shared state, a provider's call is answered on what this replica
 * already knows of the other replicas' changes (the records, the time, whether faults are set),
 * rather than after a catch-up round trip to Redis, and its first step on the shared state (the
 * usage step that counts it, or else its journal entry) is checked against that view, in the same
 * script. When the state moved since (another replica changed records, the time, faults; a
 * reset; Redis restarted empty), that step writes nothing, and the call is answered again by a run
 * of its own request that catches up first, as every call did before: what the client receives is
 * that run's answer, journaled and logged once.
 *
 * Only a provider's GET with no body goes on a view (the hot path); anything else catches up first.
 * Plaspy get on three replicas: three round trips to Redis per answer before (catch-up, count,
 * journal entry), two after; Datafiniti and Datonis: two before, one after.
 */
export class OptimisticCalls {
  /** Calls being answered again, by the value of their run's header. */
  private readonly again = new Map<string, FastifyRequest>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly views: ViewState,
  ) {}

  /**
   * At a call's arrival: true when it goes on this replica's view (kept on the request), false when
   * it must catch up first. A run answering a call again is stamped with that call's arrival.
   */
  arrive(request: FastifyRequest): boolean {
    const again = request.headers[AGAIN_HEADER];
    if (typeof again === 'string') {
      const call = this.again.get(again);
      if (call) {
        delete request.headers[AGAIN_HEADER];
        request.mockArrivedAt = call.mockArrivedAt;
        return false;
      }
    }
    if (!mayGoOnView(request)) return false;
    const view = this.views.current();
    if (!view) return false;
    viewSlot.set(request, view);
    return true;
  }

  /** The view a call's step is to be checked against; undefined once one was (or it caught up first). */
  viewOf(request: FastifyRequest): CallView | undefined {
    return viewSlot.find(request);
  }

  /** Whether the call's answer came from answering it again (which journaled and logged it). */
  answeredAgain(request: FastifyRequest): boolean {
    return answeredAgainSlot.find(request) === true;
  }

  /**
   * A step of a provider's call (identify, admit), its first usage step checked against the call's
   * view: then `next` with the value; on a stale view, the call answered again; `done` with any other error.
   */
  step<T>(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, take: () => Step<T>, next: (value: T) => void): void {
    const view = viewSlot.find(request);
    const checked = () => {
      if (!view) return take();
      const { step, checked } = this.views.checking(view, take);
      if (checked) viewSlot.set(request, undefined);
      return step;
    };
    settle(checked, next, (error) => {
      if (!(error instanceof StaleView)) done(error);
      else void this.answerAgain(request).then((answer) => putOn(reply, answer).send(answer.rawPayload), done);
    });
  }

  /** Answers the call again, caught up first: the run's answer, which it journaled and logged. */
  async answerAgain(request: FastifyRequest): Promise<Answer> {
    viewSlot.set(request, undefined);
    const name = randomUUID();
    this.again.set(name, request);
    try {
      const answer = await this.app.inject({
        method: 'GET',
        url: request.originalUrl,
        headers: { ...request.headers, [AGAIN_HEADER]: name },
        remoteAddress: request.ip,
      });
      answeredAgainSlot.set(request, true);
      return answer;
    } catch (error) {
      // the server began to close (Fastify refuses to run requests then)
      throw new MockHttpError(503, `The call could not be answered again: ${(error as Error).message}`);
    } finally {
      this.again.delete(name);
    }
  }
}

/** The run's answer on the call's reply: its status and headers instead of the call's own. */
export function putOn(reply: FastifyReply, answer: Answer): FastifyReply {
  for (const name of Object.keys(reply.getHeaders())) reply.removeHeader(name);
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value !== undefined && !CONNECTION_HEADERS.has(name)) reply.header(name, value);
  }
  return reply.code(answer.statusCode);
}
