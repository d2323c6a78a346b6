import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { installErrorFormat } from '../http/error-format.js';
import type { Provider } from '../provider.js';
import type { PathOwner } from '../http/unrouted.js';
import type { MockRuntime } from '../runtime.js';
import { requireAdminToken } from './admin-token.js';
import { formatControlError } from './errors.js';
import { registerFaultRoutes } from './faults.js';
import { registerJournalRoutes } from './journal.js';
import { type ControlLimits, CreationBudget, DEFAULT_LIMITS } from './limits.js';
import { registerProviderRecords } from './records.js';
import { registerStateRoutes } from './state.js';

export interface ControlPlaneOptions {
  runtime: MockRuntime;
  providers: readonly Provider[];
  /** The defaults unless given. */
  limits?: Partial<ControlLimits>;
}

/** Everything under /__mock/: reset, accounts, faults, journal; guarded by MOCK_ADMIN_TOKEN when set. */
export const controlPlane: FastifyPluginAsyncTypebox<ControlPlaneOptions> = async (scope, { runtime, providers, limits }) => {
  installErrorFormat(scope, formatControlError);
  scope.addHook('onRequest', requireAdminToken(runtime.config.adminToken));
  const slugs = providers.map((provider) => provider.slug);
  const budget = new CreationBudget({ ...DEFAULT_LIMITS, ...limits });
  registerStateRoutes(scope, runtime, providers, () => budget.reset());
  registerFaultRoutes(scope, runtime, slugs);
  registerJournalRoutes(scope, runtime, slugs);
  for (const provider of providers) registerProviderRecords(scope, provider, runtime.storeOf(provider.slug), budget, runtime.writeRecords);
};

/** The control plane's paths, error format and admin token, for requests under it that no route serves. */
export function controlPlaneOwner(runtime: MockRuntime): PathOwner {
  return { slug: null, prefixes: ['/__mock'], format: formatControlError, guard: requireAdminToken(runtime.config.adminToken) };
}
