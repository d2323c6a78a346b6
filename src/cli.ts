#!/usr/bin/env node
import { UsageError, helpText, packageVersion, readCommandLine, startFailure } from './command-line.js';
import { banner, closeOnSignals, startServer } from './server.js';

/** The process: reads the command line (src/command-line.ts), starts the server, prints the banner. */
async function main(): Promise<void> {
  const command = readCommandLine(process.argv.slice(2));
  if (command.action === 'help') return void process.stdout.write(helpText());
  if (command.action === 'version') return void process.stdout.write(`${packageVersion()}\n`);
  const server = await startServer(command.config).catch((error: unknown) => {
    process.stderr.write(`provider-mock: ${startFailure(error, command.config)}\n`);
    process.exit(1);
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
