import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { installErrorHandler } from '../http/error-format.js';
import { MockHttpError } from '../http/http-error.js';
import { TOO_DEEP, nestedDeeperThan } from '../http/nesting.js';
import type { Provider } from '../provider.js';
import type { PathOwner } from '../http/refusals.js';
import type { MockRuntime } from '../runtime.js';
import { controlPlaneGuard } from './guard.js';
import { registerClockRoutes } from './clock.js';
import { formatControlError } from './errors.js';
import { registerFaultRoutes } from './faults.js';
import { registerJournalRoutes } from './journal.js';
import { refuseCrossOriginWrites } from './same-origin.js';
import { type ControlLimits, CreationBudget, DEFAULT_LIMITS } from './limits.js';
import { registerProviderRecords } from './records.js';
import { registerStateRoutes } from './reset-and-accounts.js';
import { registerRouteIndex } from './route-index.js';

interface ControlPlaneOptions {
  runtime: MockRuntime;
  providers: readonly Provider[];
  /** The defaults unless given. */
  limits?: Partial<ControlLimits>;
}

/**
 * The largest number a control-plane body may store, and the smallest its negative: a counter set
 * there still counts every call exactly (above 2^53, about 9 × 10^15, adding 1 changes nothing).
 */
const MAX_STORED_NUMBER = 10 ** 15;

/** The dotted path of the first finite number in a body beyond ±MAX_STORED_NUMBER (Infinity is refused elsewhere). */
function tooLarge(body: unknown): string | undefined {
  const stack: [unknown, string][] = [[body, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'number' && Number.isFinite(current) && Math.abs(current) > MAX_STORED_NUMBER) return path;
    if (current !== null && typeof current === 'object') {
      for (const [key, child] of Object.entries(current)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return undefined;
}

/** Everything under /__mock/: reset, accounts, clock, faults, journal; guarded by MOCK_ADMIN_TOKEN when set. */
export const controlPlane: FastifyPluginAsyncTypebox<ControlPlaneOptions> = async (scope, { runtime, providers, limits }) => {
  installErrorHandler(scope, () => formatControlError);
  scope.addHook('onRequest', controlPlaneGuard(runtime.config));
  scope.addHook('onRequest', refuseCrossOriginWrites);
  scope.addHook('preValidation', async (request) => {
    if (nestedDeeperThan(request.body)) throw new MockHttpError(400, TOO_DEEP);
  });
  scope.addHook('preHandler', async (request) => {
    const field = tooLarge(request.body);
    if (field !== undefined) {
      throw new MockHttpError(400, `Invalid body '${field}': must be between -${MAX_STORED_NUMBER} and ${MAX_STORED_NUMBER}`);
    }
  });
  registerRouteIndex(scope);
  const slugs = providers.map((provider) => provider.slug);
  const budget = new CreationBudget({ ...DEFAULT_LIMITS, ...limits }, runtime.state.budgets);
  registerStateRoutes(scope, runtime, providers, () => budget.reset());
  registerClockRoutes(scope, runtime);
  registerFaultRoutes(scope, runtime, slugs, budget.limits);
  registerJournalRoutes(scope, runtime, slugs);
  for (const provider of providers) registerProviderRecords(scope, provider, runtime.storeOf(provider.slug), budget, runtime.writeRecords);
};

/** The control plane's paths, error format and admin token, for requests under it that no route serves. */
export function controlPlaneOwner(runtime: MockRuntime): PathOwner {
  return { slug: null, prefixes: ['/__mock'], format: formatControlError, guard: controlPlaneGuard(runtime.config) };
}
