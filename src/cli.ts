#!/usr/bin/env node
import { UsageError, helpText, packageVersion, readCommandLine, startFailure } from './command-line.js';
import { ConfigError } from './config.js';
import { banner, closeOnSignals, startServer } from './server.js';
import { runSubcommand } from './verify/cli.js';

/** The process: reads the command line (src/command-line.ts), starts the server, prints the banner. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === 'verify' || argv[0] === 'record') {
    process.exitCode = await runSubcommand(argv);
    return;
  }
  const command = readCommandLine(argv);
  if (command.action === 'help') return void process.stdout.write(helpText());
  if (command.action === 'version') return void process.stdout.write(`${packageVersion()}\n`);
  const server = await startServer(command.config).catch((error: unknown) => {
    process.stderr.write(`provider-mock: ${startFailure(error, command.config)}\n`);
    process.exit(error instanceof ConfigError ? error.exitCode : 1);
  });
  closeOnSignals(server);
  process.stdout.write(`${banner(server)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`provider-mock: ${error.message}\nprovider-mock --help lists every option and what it takes.\n`);
    process.exit(2);
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
