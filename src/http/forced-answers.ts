import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type FaultAction, type FaultCall, parsePrefer } from '../state/faults.js';
import type { FaultState } from '../state/state.js';
import { settle } from '../state/step.js';
import { type HeldConnections, breakConnection } from './broken-connections.js';
import { MockHttpError } from './http-error.js';
import { createRequestSlot } from './request-slot.js';

const providerSlot = createRequestSlot<string>('the provider of the request');

/** The slug of the provider that served this request; null for the control plane and unknown paths. */
export function providerOf(request: FastifyRequest): string | null {
  return providerSlot.find(request) ?? null;
}

/** Marks a request as the provider's though none of its routes served it (an unknown path under its prefix). */
export function markProvider(request: FastifyRequest, slug: string): void {
  providerSlot.set(request, slug);
}

/** What the provider hooks need of a provider. */
export interface HookedProvider {
  slug: string;
  /** The caller's key or token however the provider takes it; undefined when none is readable. */
  credential(request: FastifyRequest): string | undefined;
}

/** A request as a fault sees it: its route and credential read only when a fault asks. */
class RequestCall implements FaultCall {
  readonly method: string;

  constructor(
    private readonly request: FastifyRequest,
    private readonly provider: HookedProvider,
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

/** Header names as providers write them (`Retry-After`), so that a fault's header replaces the provider's own. */
function titleCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase().replace(/(^|-)([a-z])/g, (match) => match.toUpperCase()), value]),
  );
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

/** The Prefer header's action; throws a 400 naming a preference whose value cannot be honoured. */
function preferred(request: FastifyRequest): FaultAction | undefined {
  const preference = parsePrefer(request.headers.prefer);
  if (!preference) return undefined;
  const { status, problem } = preference;
  if (problem) throw new MockHttpError(400, problem);
  if (status !== undefined && !sendable(status, request)) {
    throw new MockHttpError(400, `Prefer: code=${status} is not a status this route can send (400 to 599, or its own)`);
  }
  return preference;
}

/** Applies a fault's action: after its delay, breaks the connection, or adds headers and throws its status. */
function apply(action: FaultAction, request: FastifyRequest, reply: FastifyReply, hung: HeldConnections, done: (error?: Error) => void) {
  const run = () => {
    if (action.connection && breakConnection(action.connection, request, reply, hung)) {
      hung.unanswered(request, providerOf(request));
      return;
    }
    const headers = action.headers ? titleCased(action.headers) : undefined;
    if (action.status !== undefined && action.status >= 400) {
      done(new MockHttpError(action.status, action.message ?? '', headers));
      return;
    }
    if (headers) reply.headers(headers);
    done();
  };
  if (action.delayMs) setTimeout(run, action.delayMs);
  else run();
}

/**
 * The hooks every provider scope gets before its own: it marks requests as the provider's, then
 * applies a `Prefer` header or a registered fault. A forced status is thrown, so that the provider's
 * own error handler writes it in the provider's format.
 */
export function installProviderHooks(
  scope: FastifyInstance,
  provider: HookedProvider,
  faults: FaultState,
  routes: Set<string>,
  hung: HeldConnections,
): void {
  const { slug } = provider;
  scope.addHook('onRoute', (route) => {
    routes.add(route.url);
  });
  // a callback hook: with no Prefer header and no fault it returns at once, without a promise
  scope.addHook('onRequest', (request, reply, done) => {
    providerSlot.set(request, slug);
    settle(
      () => preferred(request) ?? faults.take(slug, new RequestCall(request, provider)),
      (action) => {
        if (action) apply(action, request, reply, hung, done);
        else done();
      },
      done,
    );
  });
}
