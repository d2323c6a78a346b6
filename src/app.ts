import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyRequest, type HookHandlerDoneFunction, LogController } from 'fastify';
import { resolveConfig, type MockConfigInput } from './config.js';
import { health } from './control/health.js';
import { type Clock, systemClock } from './state/clock.js';
import { serializerCompiler, validatorCompiler } from './http/compilers.js';
import { CONNECTION_LIMITS, type ConnectionLimits, connectionOptions, waitsItsTurn } from './http/connections.js';
import { corsOptions } from './http/cors.js';
import { createLogger, logThrough, loggerOptions, logsAt } from './http/logger.js';
import { errorFormatOf, providerScope } from './http/provider-scope.js';
import { OptimisticCalls } from './http/optimistic-calls.js';
import { RefusalRecorder, requestRecording, stampArrival } from './http/request-recording.js';
import { installRequestSlots } from './http/request-slot.js';
import { readBodiesOfGet } from './http/request-bodies.js';
import { readParametersAsRails, withoutFormatSuffix } from './http/rails-parameters.js';
import { ShutdownTracker } from './http/shutdown.js';
import { type PathOwner, installUnroutedHandlers, refuseUnservable, unroutedOptions } from './http/refusals.js';
import { docsCredentials, docsPageOptions } from './contract/docs-page.js';
import { controlPlane, controlPlaneOwner } from './control/index.js';
import type { ControlLimits } from './control/limits.js';
import { openapiOptions } from './openapi.js';
import { providers } from './providers.js';
import type { Provider } from './provider.js';
import { createRuntime, type MockRuntime } from './runtime.js';

export interface BuildOptions extends Omit<MockConfigInput, 'clock'> {
  /**
   * An ISO 8601 instant: the mock's time starts there, frozen (as `--clock`). Or a function: the
   * time beneath the mock's own, which `/__mock/clock` moves and freezes on top of it; tests move
   * it to roll counters and rate-limit windows.
   */
  clock?: Clock | string;
  /** Where logs go; standard output when absent. */
  logStream?: NodeJS.WritableStream;
  /** What the control plane may add; its defaults unless given. */
  controlLimits?: Partial<ControlLimits>;
  /** How long a client may stall a connection; the defaults unless given. */
  connectionLimits?: Partial<ConnectionLimits>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mock: MockRuntime;
  }
}

/** Builds the mock, ready for `inject` or `listen`. Logging is off unless `logLevel` is given. */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const { clock, logStream, controlLimits, connectionLimits, ...input } = options;
  const config = resolveConfig({ logLevel: 'silent', ...input, clock: typeof clock === 'string' ? clock : undefined });
  const runtime = createRuntime(config, typeof clock === 'function' ? clock : systemClock);
  await runtime.open();
  const owners: PathOwner[] = [
    controlPlaneOwner(runtime),
    ...providers.map((provider) => ({
      slug: provider.slug,
      prefixes: provider.pathPrefixes,
      format: errorFormatOf(provider, runtime.storeOf(provider.slug)),
    })),
  ];
  const stripFormatSuffix = withoutFormatSuffix(providers.filter((provider) => provider.framework === 'rails').flatMap((provider) => provider.pathPrefixes));
  const refusals = new RefusalRecorder();
  const unrouted = unroutedOptions(owners, refusals);
  const logger = createLogger(config.logLevel, config.logFormat, logStream);
  const app = Fastify({
    ...unrouted,
    // Rails (Fingerbank's and Datonis's pages) serves a route with or without one trailing slash,
    // and clients that join a base URL and a path often send one: every route answers both ways.
    routerOptions: { ...unrouted.routerOptions, ignoreTrailingSlash: true },
    ...connectionOptions({ ...CONNECTION_LIMITS, ...connectionLimits }),
    ...loggerOptions(logger),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    rewriteUrl: (request) => stripFormatSuffix(request.url ?? '/'),
  }).withTypeProvider<TypeBoxTypeProvider>();
  logThrough(app, logger);
  readBodiesOfGet(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('mock', runtime);
  for (const warning of runtime.warnings) app.log.warn(warning);
  app.addHook('onClose', () => runtime.close());
  const { sync } = runtime;
  const views = runtime.state.views;
  const calls = views && new OptimisticCalls(app, views);
  if (sync) {
    // with a shared state, every request but the health check and a call answered on this
    // replica's view first applies the other replicas' record changes (one look at the change
    // log, shared by concurrent requests)
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.url === '/__mock/health' || calls?.arrive(request)) done();
      else sync().then(() => done(), done);
    });
  }
  installRequestSlots(app);
  installUnroutedHandlers(app, owners, refusals);
  const shutdown = new ShutdownTracker();
  shutdown.install(app);
  const credentialReaders = new Map<string, Provider['credential']>(providers.map((provider) => [provider.slug, provider.credential]));
  const recordAnswer = requestRecording(app, {
    journal: runtime.state.journal,
    clock: runtime.clock,
    logRequests: logsAt(config.logLevel, 'info'),
    refusals,
    readCredential: (slug, request) => credentialReaders.get(slug)?.(request),
    closing: () => shutdown.closing,
    calls,
  });
  // one hook per phase for the whole app, each step in its order: a request waits for its turn on
  // its connection, is stamped, and may be refused whatever its route (stamped first, so that a
  // refusal's duration is its own); an answer says `Connection: close` once the server is closing,
  // and is journaled and logged. Three onRequest and two onSend hooks before; with the logger's
  // options (http/logger.ts), 122,200 to 122,300 instructions per Plaspy get answer against
  // 125,900 to 126,600 logging silent, 157,300 against 163,600 with production logs (callgrind,
  // the two builds loaded side by side, 4,000 answers after 8,000)
  const refused = refuseUnservable(owners);
  const arrive = (request: FastifyRequest, done: HookHandlerDoneFunction) => {
    stampArrival(request);
    done(refused(request));
  };
  app.addHook('onRequest', (request, reply, done) => {
    if (!waitsItsTurn(request, reply, arrive, done)) arrive(request, done);
  });
  app.addHook('onSend', recordAnswer);
  // off unless asked: whether the real services answer browsers is not documented
  if (config.cors !== undefined) await app.register(cors, corsOptions(config.cors, owners, providers));

  await app.register(swagger, openapiOptions(providers));
  await app.register(swaggerUi, docsPageOptions(providers, docsCredentials(runtime.stores, config.adminToken)));
  await app.register(health, { problem: runtime.stateProblem });

  await app.register(controlPlane, { runtime, providers, limits: controlLimits });
  for (const provider of providers) {
    const store = runtime.storeOf(provider.slug);
    const routes = runtime.routes.get(provider.slug) ?? new Set<string>();
    const scope = providerScope(provider, { store, faults: runtime.state.faults, routes, breaking: { shutdown, refusals }, calls });
    // a Rails provider's body parsers and parameter merge, around its scope, which inherits them
    await app.register(async (rails) => {
      if (provider.framework === 'rails') readParametersAsRails(rails);
      await rails.register(scope);
    });
  }
  return app;
}
