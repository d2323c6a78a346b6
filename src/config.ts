import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1', minLength: 1, description: 'Address to listen on' }),
  port: Type.Integer({ default: 4010, minimum: 0, maximum: 65535, description: 'Port to listen on (0: any free port)' }),
  seed: Type.Integer({ default: 1, minimum: 0, maximum: 2 ** 32 - 1, description: 'Seed of the generated data' }),
  users: Type.Integer({
    default: 50,
    minimum: 0,
    maximum: 1_000_000,
    description: 'Users generated per provider, beside the documented ones',
  }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  logFormat: Type.Union([Type.Literal('pretty'), Type.Literal('json')], {
    default: 'pretty',
    description: 'pretty: one readable line per request; json: one JSON object per line',
  }),
  adminToken: Type.Optional(Type.String({ minLength: 1, description: 'When set, the control plane requires it' })),
  journalSize: Type.Integer({ default: 1000, minimum: 0, maximum: 100_000, description: 'Requests kept in the journal' }),
  bodyLimit: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 16_777_216, description: 'Largest request body, bytes' }),
  clock: Type.Optional(
    Type.String({
      // an ISO 8601 date and time in UTC or with an offset, as /__mock/clock takes it
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$',
      description: 'Start the mock’s time at this instant (ISO 8601), frozen',
    }),
  ),
});
export type MockConfig = Static<typeof ConfigSchema>;
export type MockConfigInput = Partial<MockConfig>;

/** Environment variables and the configuration keys they set. */
export const ENVIRONMENT: Record<string, keyof MockConfig> = {
  HOST: 'host',
  PORT: 'port',
  SEED: 'seed',
  MOCK_USERS: 'users',
  LOG_LEVEL: 'logLevel',
  LOG_FORMAT: 'logFormat',
  MOCK_ADMIN_TOKEN: 'adminToken',
  MOCK_JOURNAL_SIZE: 'journalSize',
  MOCK_BODY_LIMIT: 'bodyLimit',
  MOCK_CLOCK: 'clock',
};

export class ConfigError extends Error {}

/** Reads the variables of ENVIRONMENT that are set; values stay strings until resolveConfig. */
export function configFromEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENVIRONMENT)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[key] = value;
  }
  if (input.logFormat === undefined && env.NODE_ENV === 'production') input.logFormat = 'json';
  return input;
}

/** Defaults filled in, strings converted, everything checked; throws ConfigError naming each problem. */
export function resolveConfig(input: Record<string, unknown> = {}): MockConfig {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const candidate = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, defined));
  const unknown = Object.keys(defined).filter((key) => !(key in ConfigSchema.properties));
  const problems = [...Value.Errors(ConfigSchema, candidate)].map(
    (error) => `${error.path.slice(1) || 'config'}: ${error.message}`,
  );
  problems.push(...unknown.map((key) => `${key}: unknown setting`));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return candidate as MockConfig;
}
