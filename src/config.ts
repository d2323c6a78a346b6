import { FormatRegistry, Kind, type TSchema, Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** The cors setting's format, named as --help and refusals show it: "a comma-separated list of …". */
const CORS_ORIGINS = 'comma-separated list of origins such as http://localhost:3000, or * for any';
// origins as browsers send them in `Origin`: scheme://host[:port], no path, no trailing slash
FormatRegistry.Set(CORS_ORIGINS, (value) => /^(\*|[a-z][a-z0-9+.-]*:\/\/[^/,\s]+(\s*,\s*[a-z][a-z0-9+.-]*:\/\/[^/,\s]+)*)$/.test(value));

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
    { default: 'info', description: 'Least severe level logged' },
  ),
  logFormat: Type.Union([Type.Literal('pretty'), Type.Literal('json')], {
    default: 'pretty',
    description: 'pretty: one readable line per request; json: one JSON object per line (the default when NODE_ENV=production)',
  }),
  adminToken: Type.Optional(Type.String({ minLength: 1, description: 'When set, the control plane requires it' })),
  allowedHosts: Type.Optional(
    Type.String({
      pattern: '^\\s*[^,\\s]+\\s*(,\\s*[^,\\s]+\\s*)*$',
      title: 'host names separated by commas',
      examples: ['mock.test,provider-mock'],
      description: 'Host names the control plane answers besides loopback ones, comma-separated (DNS rebinding)',
    }),
  ),
  journalSize: Type.Integer({ default: 1000, minimum: 0, maximum: 100_000, description: 'Requests kept in the journal' }),
  bodyLimit: Type.Integer({ default: 1_048_576, minimum: 1024, maximum: 16_777_216, description: 'Largest request body, bytes' }),
  cors: Type.Optional(
    Type.String({ format: CORS_ORIGINS, description: 'Browsers on these origins may call the providers (off when absent)' }),
  ),
  fixtures: Type.Optional(
    Type.String({ minLength: 1, description: 'A folder written by `provider-mock record`: its records are served beside the documented ones' }),
  ),
  stateUrl: Type.Optional(
    Type.String({
      minLength: 1,
      pattern: '^rediss?://\\S+$',
      title: 'a Redis URL',
      examples: ['redis://127.0.0.1:6379/0'],
      description: 'Redis (redis://host:port/db, rediss:// for TLS) shared by several replicas: time, counters, windows, faults, journal, record changes; in memory when absent',
    }),
  ),
  statePrefix: Type.String({
    default: 'provider-mock',
    minLength: 1,
    pattern: '^\\S+$',
    title: 'text without spaces',
    examples: ['provider-mock'],
    description: 'Prefix of the shared state keys: replicas with the same URL and prefix act as one server',
  }),
  stateAllowEviction: Type.Boolean({
    default: false,
    description:
      'Start on a Redis whose maxmemory-policy evicts keys (with a warning): evicted keys lose acknowledged records, counters and faults; refused otherwise',
  }),
  replicaId: Type.Optional(
    Type.String({ minLength: 1, description: 'Names this replica in the shared journal; host name and process id when absent' }),
  ),
  clock: Type.Optional(
    Type.String({
      // an ISO 8601 date and time in UTC or with an offset, as /__mock/clock takes it
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$',
      title: 'an ISO 8601 date and time, in UTC (Z) or with an offset',
      examples: ['2026-03-15T10:20:30Z'],
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
  MOCK_ALLOWED_HOSTS: 'allowedHosts',
  MOCK_JOURNAL_SIZE: 'journalSize',
  MOCK_BODY_LIMIT: 'bodyLimit',
  MOCK_CORS: 'cors',
  MOCK_FIXTURES: 'fixtures',
  MOCK_CLOCK: 'clock',
  MOCK_STATE_URL: 'stateUrl',
  MOCK_STATE_PREFIX: 'statePrefix',
  MOCK_REPLICA_ID: 'replicaId',
  MOCK_STATE_ALLOW_EVICTION: 'stateAllowEviction',
};

export class ConfigError extends Error {
  /** The process's exit code when this refuses a start: 2 for a setting to change before starting again. */
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

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

/**
 * What a schema accepts, in words, for messages and --help: "an integer from 0 to 65535", "one of
 * pretty, json". Every setting gets one, whatever its type, so a new setting needs no message of its own.
 */
export function allowedValues(schema: TSchema): string {
  switch (schema[Kind]) {
    case 'Integer':
    case 'Number': {
      const what = schema[Kind] === 'Integer' ? 'an integer' : 'a number';
      const { minimum: min, maximum: max } = schema as { minimum?: number; maximum?: number };
      // the setting's default is the example: a value known to be good
      const example = schema.default === undefined ? '' : `, e.g. ${String(schema.default)}`;
      if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}${example}`;
      if (min !== undefined) return `${what} of ${min} or more${example}`;
      return `${max !== undefined ? `${what} of ${max} or less` : what}${example}`;
    }
    case 'Union': {
      const members = schema.anyOf as TSchema[];
      if (members.every((member) => 'const' in member)) return `one of ${members.map((member) => String(member.const)).join(', ')}`;
      return members.map(allowedValues).join(', or ');
    }
    case 'Literal':
      return String(schema.const);
    case 'Boolean':
      return 'true or false';
    case 'Array':
      return `a list of ${allowedValues(schema.items as TSchema).replace(/^(a|an) /, '')}s, separated by commas`;
    case 'String': {
      // the form in words, never the pattern itself, with an example when the schema gives one
      const example = Array.isArray(schema.examples) ? `, e.g. ${String(schema.examples[0])}` : '';
      if (schema.pattern) return `${typeof schema.title === 'string' ? schema.title : 'text in the form its description gives'}${example}`;
      if (schema.format) return `a ${schema.format}${example}`;
      return `${schema.minLength ? 'a non-empty string' : 'a string'}${example}`;
    }
    default:
      return typeof schema.description === 'string' ? schema.description : 'a valid value';
  }
}

/** Text that TypeBox would convert loosely: '1.5' or '0x10' to an integer (1, 16), '' to 0. */
function looselyNumeric(schema: TSchema, text: string): boolean {
  if (schema[Kind] === 'Integer') return !/^[+-]?\d+$/.test(text);
  if (schema[Kind] === 'Number') return !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text);
  return false;
}

/** How a value was given, for messages: a flag (`--users -5`), a variable (`MOCK_USERS=-5`), a key. */
type Spelling = (key: string, value: unknown) => string;

const asKey: Spelling = (key, value) => `${key} ${JSON.stringify(value)}`;

/**
 * Defaults filled in, strings converted, everything checked; throws ConfigError naming, for each
 * value refused, the value as it was given (`spell`) and what its setting allows.
 */
export function resolveConfig(input: Record<string, unknown> = {}, spell: Spelling = asKey): MockConfig {
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const properties: Record<string, TSchema> = ConfigSchema.properties;
  const problems = new Map<string, string>();
  const refuse = (key: string) => problems.set(key, `${spell(key, defined[key])}: must be ${allowedValues(properties[key]!)}`);
  for (const [key, value] of Object.entries(defined)) {
    if (!(key in properties)) problems.set(key, `${spell(key, value)}: unknown setting`);
    else if (typeof value === 'string' && looselyNumeric(properties[key]!, value)) refuse(key);
  }
  // a clone: Convert changes the object it is given, and messages show the values as given
  const candidate = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, Value.Clone(defined)));
  for (const error of Value.Errors(ConfigSchema, candidate)) {
    const key = error.path.split('/')[1] ?? '';
    if (problems.has(key)) continue;
    if (key in properties) refuse(key);
    else problems.set(key, `${key || 'configuration'}: ${error.message}`);
  }
  const token = (candidate as Partial<MockConfig>).adminToken;
  if (!problems.has('adminToken') && typeof token === 'string' && !/^[\x21-\x7e]+$/.test(token)) {
    // named as it was given, the secret itself left out
    problems.set(
      'adminToken',
      `${spell('adminToken', '…')}: only printable ASCII characters, no spaces, e.g. ${spell('adminToken', 's3cret-token')}: a client sends its headers in ASCII, so any other character could never match`,
    );
  }
  if (problems.size > 0) throw new ConfigError(`Invalid configuration: ${[...problems.values()].join('; ')}`);
  return candidate as MockConfig;
}
