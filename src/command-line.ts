import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { TSchema } from '@sinclair/typebox';
import { ConfigError, ConfigSchema, ENVIRONMENT, type MockConfig, allowedValues, configFromEnvironment, resolveConfig } from './config.js';

/**
 * The command line, read from the configuration schema: each setting is a flag (its key in kebab
 * case, `logLevel` → `--log-level`) beside its environment variable, so a new setting needs no line
 * here, and a refused value is named as the user typed it, with what its setting allows.
 */

const SETTINGS: Record<string, TSchema> = ConfigSchema.properties;
const VARIABLES: Record<string, string> = Object.fromEntries(Object.entries(ENVIRONMENT).map(([name, key]) => [key, name]));

export const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

type CommandLine = { action: 'help' } | { action: 'version' } | { action: 'start'; config: MockConfig };

/** A command line that cannot run; exits 2, as a shell's misused builtins do. */
export class UsageError extends Error {}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function helpText(): string {
  const lines = [
    'provider-mock: mock of the Datafiniti, Fingerbank, Plaspy and Datonis user endpoints',
    '',
    'Usage: provider-mock [options]',
    '       provider-mock verify|record <provider> ...   (check a real service, record an account: verify --help)',
    '',
    'Options, each also set by the environment variable named below it (a flag wins):',
  ];
  for (const [key, schema] of Object.entries(SETTINGS)) {
    const setting = schema as TSchema & { default?: unknown; description?: string };
    const short = OPTIONS[flagOf(key).slice(2)]?.short;
    lines.push(`  ${`${short ? `-${short}, ` : ''}${flagOf(key)} <value>`.padEnd(24)} ${setting.description ?? ''}`);
    const details = [allowedValues(schema)];
    if (VARIABLES[key]) details.push(VARIABLES[key]);
    if (setting.default !== undefined) details.push(`default ${String(setting.default)}`);
    lines.push(`  ${''.padEnd(24)} ${details.join('; ')}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(24)} show this help`, `  ${'-v, --version'.padEnd(24)} show the version`, '');
  return lines.join('\n');
}

const OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
  ...Object.fromEntries(Object.keys(SETTINGS).map((key) => [flagOf(key).slice(2), { type: 'string' as const }])),
  port: { type: 'string', short: 'p' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};
const KNOWN = new Set([...Object.keys(OPTIONS).map((name) => `--${name}`), '-h', '-v', '-p']);

/** `-p 4011` and `-p=4011` as `--port`, so that a short flag's value is read, and refused, as its long one's. */
function longForm(arg: string): string {
  if (arg === '-p') return '--port';
  return arg.startsWith('-p=') ? `--port=${arg.slice(3)}` : arg;
}

/**
 * `--users -5` as `--users=-5`: a flag's value may start with a dash (a negative number, a token)
 * unless it is itself an option; Node's parser would call it ambiguous.
 */
function attachDashedValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = longForm(args[i]!);
    const next = args[i + 1];
    const takesValue = arg.startsWith('--') && !arg.includes('=') && OPTIONS[arg.slice(2)]?.type === 'string';
    if (takesValue && (next === undefined || next === '--' || KNOWN.has(next.split('=')[0]!))) {
      const key = Object.keys(SETTINGS).find((candidate) => flagOf(candidate) === arg)!;
      throw new UsageError(`${arg} needs a value: ${allowedValues(SETTINGS[key]!)}`);
    }
    if (takesValue && next!.startsWith('-')) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** What the command line asks for, the environment filling in what it leaves out. */
export function readCommandLine(args: readonly string[], env: NodeJS.ProcessEnv = process.env): CommandLine {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: attachDashedValues(args), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return { action: 'help' };
  if (values.version) return { action: 'version' };
  const flags: Record<string, string> = {};
  for (const key of Object.keys(SETTINGS)) {
    const value = values[flagOf(key).slice(2)];
    if (typeof value === 'string') flags[key] = value;
  }
  const spell = (key: string, value: unknown) =>
    key in flags ? `${flagOf(key)} ${String(value)}` : VARIABLES[key] ? `${VARIABLES[key]}=${String(value)}` : `${key} ${String(value)}`;
  try {
    return { action: 'start', config: resolveConfig({ ...configFromEnvironment(env), ...flags }, spell) };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Why the server did not start, with what to do about it where there is something to do. */
export function startFailure(error: unknown, config: Pick<MockConfig, 'host' | 'port'>): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${config.host}:${config.port}`;
  if (code === 'EADDRINUSE') {
    return `port ${config.port} is in use on ${config.host}: stop what listens there, or choose another port with --port <n> (PORT), or --port 0 for any free one`;
  }
  if (code === 'EACCES') return `not allowed to listen on ${where}: ports below 1024 need privileges; choose another with --port <n> (PORT)`;
  if (error instanceof ConfigError) return error.message;
  if (code === 'EADDRNOTAVAIL') return `${config.host} is not an address of this machine: choose another with --host (HOST)`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
