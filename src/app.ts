import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { resolveConfig, type MockConfigInput } from './config.js';
import { health } from './control/health.js';
import { type Clock, systemClock } from './state/clock.js';
import { serializerCompiler, validatorCompiler } from './http/compilers.js';
import { corsOptions } from './http/cors.js';
import { rejectNonFiniteNumbersOn } from './http/finite-numbers.js';
import { loggerOptions, logsAt } from './http/logger.js';
import { installProviderHooks } from './http/provider-hooks.js';
import { installRequestRecording } from './http/request-recording.js';
import { installRequestSlots } from './http/request-slot.js';
import { type PathOwner, installUnroutedHandlers, unroutedOptions } from './http/unrouted.js';
import { docsPageOptions } from './contract/docs-page.js';
import { controlPlane, controlPlaneOwner } from './control/index.js';
import type { ControlLimits } from './control/limits.js';
import { openapiOptions } from './openapi.js';
import { providers } from './providers.js';
import { createRuntime, type MockRuntime } from './runtime.js';

export interface BuildOptions extends MockConfigInput {
  /** Time as the mock sees it; tests move it to roll counters and rate-limit windows. */
  clock?: Clock;
  /** Where logs go; standard output when absent. */
  logStream?: NodeJS.WritableStream;
  /** What the control plane may add; its defaults unless given. */
  controlLimits?: Partial<ControlLimits>;
}

declare module 'fastify' {
  interface FastifyInstance {
    mock: MockRuntime;
  }
}

/** Builds the mock, ready for `inject` or `listen`. Logging is off unless `logLevel` is given. */
export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const { clock = systemClock, logStream, controlLimits, ...input } = options;
  const config = resolveConfig({ logLevel: 'silent', ...input });
  const runtime = createRuntime(config, clock);
  await runtime.open();
  const owners: PathOwner[] = [
    controlPlaneOwner(runtime),
    ...providers.map((provider) => ({
      slug: provider.slug,
      prefixes: provider.pathPrefixes,
      format: provider.errorFormat(runtime.storeOf(provider.slug)),
    })),
  ];
  const unrouted = unroutedOptions(owners);
  const app = Fastify({
    ...unrouted,
    // Rails (Fingerbank's and Datonis's pages) serves a route with or without one trailing slash,
    // and clients that join a base URL and a path often send one: every route answers both ways.
    routerOptions: { ...unrouted.routerOptions, ignoreTrailingSlash: true },
    logger: loggerOptions(config.logLevel, config.logFormat, logStream),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorate('mock', runtime);
  app.addHook('onClose', () => runtime.close());
  const { sync } = runtime;
  if (sync) {
    // with a shared state, every request but the health check first applies the other replicas'
    // record changes (one look at the change log, shared by concurrent requests)
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.url === '/__mock/health') done();
      else sync().then(() => done(), done);
    });
  }
  installRequestSlots(app);
  installUnroutedHandlers(app, owners);
  app.addHook('onRoute', rejectNonFiniteNumbersOn);
  installRequestRecording(app, runtime.state.journal, clock, logsAt(config.logLevel, 'info'));
  // off unless asked: whether the real services answer browsers is not documented
  if (config.cors !== undefined) await app.register(cors, corsOptions(config.cors, owners, providers));

  await app.register(swagger, openapiOptions(providers));
  await app.register(swaggerUi, docsPageOptions(providers, runtime.stores));
  await app.register(health, { problem: runtime.stateProblem });

  await app.register(controlPlane, { runtime, providers, limits: controlLimits });
  for (const provider of providers) {
    const store = runtime.storeOf(provider.slug);
    await app.register(async (scope) => {
      installProviderHooks(scope, provider.slug, runtime.state.faults, runtime.routes.get(provider.slug) ?? new Set());
      await scope.register(provider.plugin, { store });
    });
  }
  return app;
}
