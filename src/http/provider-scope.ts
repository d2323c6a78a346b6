import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Provider, ProviderStore } from '../provider.js';
import type { FaultState } from '../state/state.js';
import { type Step, settle } from '../state/step.js';
import { type ErrorFormatter, installErrorHandler } from './error-format.js';
import { type Breaking, forcedAnswers, forcedHeaders } from './forced-answers.js';
import type { OptimisticCalls } from './optimistic-calls.js';
import { markProvider } from './request-provider.js';
import { createRequestSlot } from './request-slot.js';

/** Who `identify` found, until `admit` lets the call in. */
const identitySlot = createRequestSlot<unknown>('the identified caller');
/** The caller a provider's handlers serve, once admitted. */
const callerSlot = createRequestSlot<unknown>('the admitted caller');

/** The admitted caller, as the handlers read it. */
function admittedCaller(request: FastifyRequest): unknown {
  return callerSlot.get(request);
}

/** The admitted caller, or undefined before admission and for requests no route of the provider served. */
function callerIfAdmitted(request: FastifyRequest): unknown {
  return callerSlot.find(request);
}

/** The provider's error format over its store: for its scope, and for what fails under its paths before routing. */
export function errorFormatOf(provider: Provider, store: ProviderStore): ErrorFormatter {
  return provider.errorFormat(store, callerIfAdmitted);
}

/** What the pipeline needs beside the provider: its store, the shared faults, where its routes are listed, how to break a connection. */
interface ScopeContext {
  store: ProviderStore;
  faults: FaultState;
  /** Filled with the provider's routes as declared, for faults aimed at one route. */
  routes: Set<string>;
  breaking: Breaking;
  /** With a shared state: calls answered on a view, whose first usage step is checked against it. */
  calls?: OptimisticCalls;
}

/**
 * Each call of a provider takes the same path, in this order, whatever the provider:
 *
 * 1. onRequest: the request is marked as the provider's (recording and refusals read it);
 * 2. onRequest: a `Prefer` header or the next step of a fault may delay, force a status, add
 *    headers (put on the answer at onSend, so that they replace the route's own) or break the
 *    connection (http/forced-answers.ts);
 * 3. onRequest: `identify`, when the provider identifies on arrival: 401/403 before validation;
 * 4. Fastify validates the request against the route's schema: a failure is a 400;
 * 5. preHandler: `identify`, when the provider identifies once validated, then `admit`: the call
 *    is counted or refused (429), only once the request is known to be valid;
 * 6. the handler (the provider's `routes`), which reads the admitted caller;
 * 7. any error thrown on the way leaves through the scope's one error handler, in the provider's
 *    error format;
 * 8. recording, for every request of the app (http/request-recording.ts, onResponse).
 *
 * Steps 2, 3 and 5 are where a provider's call touches the shared state: each is one `Step`, taken
 * at once from the in-memory state (a callback hook costs no promise), awaited from a shared one.
 * With a shared state, the first usage step of a call answered on a view is checked against it
 * (http/optimistic-calls.ts): a stale view has the call answered again.
 */
export function providerScope(provider: Provider, context: ScopeContext) {
  const { store, faults, routes, breaking, calls } = context;
  const format = errorFormatOf(provider, store);
  const { identify, admit } = provider;
  /** Takes one of the call's steps on the state, then `next`; a refusal goes to the error handler. */
  const take = calls
    ? <T>(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, step: () => Step<T>, next: (value: T) => void) =>
        calls.step(request, reply, done, step, next)
    : <T>(_request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction, step: () => Step<T>, next: (value: T) => void) =>
        settle(step, next, done);

  /** Admits the identified call: the caller the handler serves, the headers its answer carries. */
  const letIn = (identity: unknown, reply: FastifyReply, request: FastifyRequest, done: HookHandlerDoneFunction) => {
    if (!admit) {
      callerSlot.set(request, identity);
      done();
      return;
    }
    const admitted = ({ caller, headers }: { caller: unknown; headers?: Record<string, string> }) => {
      if (headers) reply.headers(headers);
      callerSlot.set(request, caller);
      done();
    };
    take(request, reply, done, () => admit(identity, store), admitted);
  };

  const force = forcedAnswers(provider, faults, breaking);
  /** Runs `identify`, then `then` with who it found; its refusal goes to the error handler. */
  const identified = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, then: (identity: unknown) => void) =>
    take(request, reply, done, () => identify(request, store), then);

  return async (scope: FastifyInstance): Promise<void> => {
    scope.addHook('onRoute', (route) => {
      routes.add(route.url);
    });
    scope.addHook('onRequest', (request, reply, done) => {
      markProvider(request, provider.slug);
      force(request, reply, done);
    });
    scope.addHook('onSend', forcedHeaders);
    if (provider.identifyWhen === 'arrival' && !admit) {
      scope.addHook('onRequest', (request, reply, done) =>
        identified(request, reply, done, (identity) => {
          callerSlot.set(request, identity);
          done();
        }),
      );
    } else if (provider.identifyWhen === 'arrival') {
      scope.addHook('onRequest', (request, reply, done) =>
        identified(request, reply, done, (identity) => {
          identitySlot.set(request, identity);
          done();
        }),
      );
      scope.addHook('preHandler', (request, reply, done) => letIn(identitySlot.get(request), reply, request, done));
    } else {
      scope.addHook('preHandler', (request, reply, done) => identified(request, reply, done, (identity) => letIn(identity, reply, request, done)));
    }
    installErrorHandler(scope, () => format);
    provider.routes(scope.withTypeProvider<TypeBoxTypeProvider>(), store, admittedCaller);
  };
}
