import { createServer } from 'node:net';
import type { TSchema } from '@sinclair/typebox';
import { Kind } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { UsageError, flagOf, helpText, packageVersion, readCommandLine, startFailure } from '../src/command-line.js';
import { ConfigSchema, ENVIRONMENT, allowedValues } from '../src/config.js';
import { startServer } from '../src/server.js';

/** What readCommandLine refuses with, as the user would read it. */
function refusal(args: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    readCommandLine(args, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${args.join(' ')}`);
}

/** Values each kind of setting refuses, from its schema: every setting, including ones added later. */
function invalidValues(schema: TSchema): string[] {
  const { minimum, maximum } = schema as { minimum?: number; maximum?: number };
  switch (schema[Kind]) {
    case 'Integer':
      return ['1.5', 'ten', '0x10', ...(minimum === undefined ? [] : [String(minimum - 1)]), ...(maximum === undefined ? [] : [String(maximum + 1)])];
    case 'Union':
      return ['loud'];
    case 'String': {
      // a word the pattern refuses: 'not-valid', or, for a pattern that takes it (--state-prefix), 'not valid'
      const refused = schema.pattern && new RegExp(schema.pattern as string).test('not-valid') ? 'not valid' : 'not-valid';
      return [...(schema.minLength ? [''] : []), ...(schema.pattern || schema.format ? [refused] : [])];
    }
    default:
      return [];
  }
}

const SETTINGS = Object.entries(ConfigSchema.properties as Record<string, TSchema>);
const cases = SETTINGS.flatMap(([key, schema]) => invalidValues(schema).map((value) => ({ flag: flagOf(key), value, schema })));

describe('readCommandLine', () => {
  it('has a case to refuse for most settings', () => {
    expect(new Set(cases.map((c) => c.flag)).size).toBeGreaterThanOrEqual(SETTINGS.length - 1);
  });

  it.each(cases)('refuses $flag "$value", naming the flag, the value and what is allowed', ({ flag, value, schema }) => {
    expect(refusal([flag, value])).toContain(`${flag} ${value}: must be ${allowedValues(schema)}`);
  });

  it('lists the log levels for --log-level loud', () => {
    expect(refusal(['--log-level', 'loud'])).toContain('--log-level loud: must be one of fatal, error, warn, info, debug, trace, silent');
  });

  it('reads a negative number as the flag value, and refuses it by range', () => {
    expect(refusal(['--users', '-5'])).toContain('--users -5: must be an integer from 0 to 1000000');
    expect(refusal(['--port=-1'])).toContain('--port -1: must be an integer from 0 to 65535');
  });

  it('takes integers only for --seed', () => {
    expect(refusal(['--seed', '1.5'])).toContain('--seed 1.5: must be an integer from 0 to 4294967295');
    expect(refusal(['--seed', '1e3'])).toContain('--seed 1e3: must be an integer');
    expect(readCommandLine(['--seed', '42'], {})).toMatchObject({ action: 'start', config: { seed: 42 } });
  });

  it('takes a redis:// or rediss:// state URL, and a prefix that defaults to provider-mock', () => {
    expect(readCommandLine([], {})).toMatchObject({ config: { statePrefix: 'provider-mock' } });
    expect((readCommandLine([], {}) as { config: { stateUrl?: string } }).config.stateUrl).toBeUndefined();
    expect(readCommandLine(['--state-url', 'redis://127.0.0.1:6380/2'], {})).toMatchObject({
      config: { stateUrl: 'redis://127.0.0.1:6380/2' },
    });
    expect(readCommandLine([], { MOCK_STATE_URL: 'rediss://cache:6380', MOCK_STATE_PREFIX: 'ci-7' })).toMatchObject({
      config: { stateUrl: 'rediss://cache:6380', statePrefix: 'ci-7' },
    });
    expect(refusal(['--state-url', 'http://cache:6379'])).toContain('--state-url http://cache:6379: must be a Redis URL, e.g. redis://127.0.0.1:6379/0');
    expect(refusal([], { MOCK_STATE_PREFIX: 'a b' })).toContain('MOCK_STATE_PREFIX=a b: must be');
  });

  it('names the environment variable when the value came from there', () => {
    expect(refusal([], { MOCK_USERS: '-5' })).toContain('MOCK_USERS=-5: must be an integer from 0 to 1000000');
    expect(refusal([], { LOG_LEVEL: 'loud' })).toContain('LOG_LEVEL=loud: must be one of');
  });

  it('lets a flag win over its variable', () => {
    expect(readCommandLine(['--users', '3'], { MOCK_USERS: '-5' })).toMatchObject({ config: { users: 3 } });
  });

  it('takes a value that starts with a dash unless it is an option', () => {
    expect(readCommandLine(['--admin-token', '-secret-'], {})).toMatchObject({ config: { adminToken: '-secret-' } });
    expect(refusal(['--port', '--help'])).toBe('--port needs a value: an integer from 0 to 65535, e.g. 4010');
    expect(refusal(['--log-level'])).toBe('--log-level needs a value: one of fatal, error, warn, info, debug, trace, silent');
  });

  it('refuses unknown options and arguments', () => {
    expect(refusal(['--bogus'])).toContain("Unknown option '--bogus'");
    expect(refusal(['4010'])).toContain("Unexpected argument '4010'");
  });

  it('answers -h, --help, -v and --version', () => {
    expect(readCommandLine(['-h'], {})).toEqual({ action: 'help' });
    expect(readCommandLine(['--help'], {})).toEqual({ action: 'help' });
    expect(readCommandLine(['-v'], {})).toEqual({ action: 'version' });
    expect(readCommandLine(['--version'], {})).toEqual({ action: 'version' });
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('helpText', () => {
  it('lists every setting with its flag, its variable, what it allows and its default', () => {
    const help = helpText();
    const variables = Object.fromEntries(Object.entries(ENVIRONMENT).map(([name, key]) => [key, name]));
    for (const [key, schema] of SETTINGS) {
      expect(help).toContain(flagOf(key));
      expect(help).toContain(allowedValues(schema));
      if (variables[key]) expect(help).toContain(variables[key]);
    }
    expect(help).toContain('-h, --help');
    expect(help).toContain('-v, --version');
  });
});

describe('startFailure', () => {
  it('suggests --port 0 or another port when the port is in use', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await startServer({ host: '127.0.0.1', port, users: 0 }).then(
        (server) => server.close().then(() => undefined),
        (failure: unknown) => failure,
      );
      expect(startFailure(error, { host: '127.0.0.1', port })).toBe(
        `port ${port} is in use on 127.0.0.1: stop what listens there, or choose another port with --port <n> (PORT), or --port 0 for any free one`,
      );
    } finally {
      taken.close();
    }
  });
});

describe('what a refusal says', () => {
  it('names what the user typed and gives an example of a good value, never a pattern or an internal name', () => {
    const messages = [
      refusal(['--clock', 'yesterday']),
      refusal([], { MOCK_CLOCK: 'yesterday' }),
      refusal(['--state-url', 'localhost:6379']),
      refusal([], { MOCK_STATE_PREFIX: 'a b' }),
      refusal([], { MOCK_ADMIN_TOKEN: 'has space' }),
      refusal(['--admin-token', 'naïve']),
    ];
    expect(messages[0]).toContain('--clock yesterday: must be an ISO 8601 date and time, in UTC (Z) or with an offset, e.g. 2026-03-15T10:20:30Z');
    expect(messages[1]).toContain('MOCK_CLOCK=yesterday: must be an ISO 8601 date and time');
    expect(messages[2]).toContain('--state-url localhost:6379: must be a Redis URL, e.g. redis://127.0.0.1:6379/0');
    expect(messages[3]).toContain('MOCK_STATE_PREFIX=a b: must be text without spaces, e.g. provider-mock');
    expect(messages[4]).toContain('MOCK_ADMIN_TOKEN=…: only printable ASCII characters, no spaces, e.g. MOCK_ADMIN_TOKEN=s3cret-token');
    expect(messages[5]).toContain('--admin-token …: only printable ASCII characters');
    for (const message of messages) {
      expect(message).not.toMatch(/\^|\\[dS]|adminToken|stateUrl|statePrefix/);
      // the token itself is never repeated
      expect(message).not.toMatch(/has space|naïve/);
    }
  });

  it('takes -p for --port', () => {
    expect(readCommandLine(['-p', '4020'], {})).toMatchObject({ action: 'start', config: { port: 4020 } });
    expect(readCommandLine(['-p4021'], {})).toMatchObject({ config: { port: 4021 } });
    expect(refusal(['-p', 'high'])).toContain('--port high: must be an integer from 0 to 65535, e.g. 4010');
    expect(helpText()).toContain('-p, --port <value>');
  });

  it('reads a short flag\'s dashed or attached value as its long flag\'s', () => {
    expect(refusal(['-p', '-1'])).toContain('--port -1: must be an integer from 0 to 65535, e.g. 4010');
    expect(refusal(['-p=-1'])).toContain('--port -1: must be an integer from 0 to 65535');
    expect(readCommandLine(['-p=4022'], {})).toMatchObject({ config: { port: 4022 } });
  });

  it('gives a good value with every number refused, and refuses a list of hosts with no name in it', () => {
    expect(refusal(['--port', 'abc'])).toContain('--port abc: must be an integer from 0 to 65535, e.g. 4010');
    expect(() => readCommandLine([], { PORT: 'x' })).toThrow('PORT=x: must be an integer from 0 to 65535, e.g. 4010');
    expect(refusal(['--allowed-hosts', ',,'])).toContain('--allowed-hosts ,,: must be host names separated by commas, e.g. mock.test,provider-mock');
    expect(readCommandLine(['--allowed-hosts', 'mock.test, provider-mock'], {})).toMatchObject({ config: { allowedHosts: 'mock.test, provider-mock' } });
  });
});

