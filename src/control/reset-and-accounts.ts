import { Type } from '@sinclair/typebox';
import type { Provider } from '../provider.js';
import type { TypedScope } from '../http/typed-scope.js';
import type { MockRuntime } from '../runtime.js';
import { controlErrors } from './errors.js';
import { DemoCredentialSchema, TAGS } from './schemas.js';

export const ResetSchema = Type.Object({ status: Type.Literal('reset') });

export const AccountsSchema = Type.Object({
  providers: Type.Array(
    Type.Object({
      provider: Type.String(),
      title: Type.String(),
      accounts: Type.Union([Type.Integer(), Type.Null()], { description: 'How many accounts it holds' }),
      credentials: Type.Array(DemoCredentialSchema),
    }),
  ),
});

export function registerStateRoutes(
  scope: TypedScope,
  runtime: MockRuntime,
  providers: readonly Provider[],
  onReset: () => void,
): void {
  scope.post(
    '/__mock/reset',
    {
      schema: {
        tags: TAGS,
        summary: 'Back to the seeded state',
        description: 'Restores every provider’s users and counters, clears rate-limit windows, faults and the journal, and brings the mock’s time back to that of start-up: real time, running (or the `--clock` instant, frozen).',
        response: { 200: ResetSchema, ...controlErrors() },
      },
    },
    async () => {
      await runtime.reset();
      onReset();
      return { status: 'reset' as const };
    },
  );

  scope.get(
    '/__mock/accounts',
    {
      schema: {
        tags: TAGS,
        summary: 'Every provider’s demo credentials and account counts',
        response: { 200: AccountsSchema, ...controlErrors() },
      },
    },
    async () => ({
      providers: await Promise.all(
        providers.map(async (provider) => {
          const store = runtime.storeOf(provider.slug);
          return {
            provider: provider.slug,
            title: provider.title,
            accounts: (await provider.admin?.accounts.list(store, { page: 1, per: 1 }))?.total ?? null,
            credentials: store.demoCredentials(),
          };
        }),
      ),
    }),
  );
}
