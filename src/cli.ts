#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { ConfigError, configFromEnvironment, resolveConfig } from './config.js';
import { banner, closeOnSignals, startServer } from './server.js';

const HELP = `provider-mock: mock of the Datafiniti, Fingerbank, Plaspy and Datonis user endpoints

Usage: provider-mock [options]

Options (each also set by the environment variable in brackets):
  --host <address>       address to listen on (HOST, default 127.0.0.1)
  --port <port>          port to listen on, 0 for any free port (PORT, default 4010)
  --seed <n>             seed of the generated data (SEED, default 1)
  --users <n>            users generated per provider, 0 to 1000000 (MOCK_USERS, default 50)
  --log-level <level>    fatal, error, warn, info, debug, trace or silent (LOG_LEVEL, default info)
  --log-format <format>  pretty or json (LOG_FORMAT, default pretty; json when NODE_ENV=production)
  --admin-token <token>  require this token on the control plane (MOCK_ADMIN_TOKEN)
  --journal-size <n>     requests kept in the journal (MOCK_JOURNAL_SIZE, default 1000)
  --body-limit <bytes>   largest request body (MOCK_BODY_LIMIT, default 1048576)
  --clock <instant>      start the mock's time at this ISO 8601 instant, frozen (MOCK_CLOCK)
  -h, --help             show this help
`;

function definedOnly(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      seed: { type: 'string' },
      users: { type: 'string' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      'admin-token': { type: 'string' },
      'journal-size': { type: 'string' },
      'body-limit': { type: 'string' },
      clock: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  // A flag left out must not hide its environment variable.
  const flags = definedOnly({
    host: values.host,
    port: values.port,
    seed: values.seed,
    users: values.users,
    logLevel: values['log-level'],
    logFormat: values['log-format'],
    adminToken: values['admin-token'],
    journalSize: values['journal-size'],
    bodyLimit: values['body-limit'],
    clock: values.clock,
  });
  const config = resolveConfig({ ...configFromEnvironment(), ...flags });
  const server = await startServer(config);
  closeOnSignals(server);
  process.stdout.write(`${banner(server)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError || error instanceof TypeError ? error.message : String(error)}\n`);
  process.exit(2);
});
