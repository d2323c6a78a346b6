import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from './app.js';
import { providers } from './providers.js';

export interface RunningServer {
  app: FastifyInstance;
  /** Base URL, e.g. http://127.0.0.1:4010 */
  url: string;
  close(): Promise<void>;
}

/** Builds the mock and listens on the configured host and port (port 0: a free one). */
export async function startServer(options: BuildOptions = {}): Promise<RunningServer> {
  const app = await buildApp(options);
  const { host, port } = app.mock.config;
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : shownHost}:${boundPort}`;
  return { app, url, close: () => app.close() };
}

/** The start-up message: where the mock is, its docs, and each provider's demo credentials. */
export function banner(server: RunningServer): string {
  const lines = [`provider-mock listening on ${server.url}`, `  docs:    ${server.url}/docs`, ''];
  for (const provider of providers) {
    const store = server.app.mock.stores.get(provider.slug);
    lines.push(`${provider.title}`);
    for (const credential of store?.demoCredentials() ?? []) {
      lines.push(`  ${credential.label}: ${credential.value}  (${credential.scheme})`);
      lines.push(`    ${credential.example.replaceAll('{base}', server.url)}`);
    }
  }
  return lines.join('\n');
}

/**
 * Stops on SIGTERM or SIGINT: stops accepting, lets requests in flight finish, exits 0. A second
 * signal exits at once.
 */
export function closeOnSignals(server: RunningServer, exit: (code: number) => void = process.exit): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      exit(1);
      return;
    }
    closing = true;
    server.app.log.info(`${signal} received, finishing requests in flight`);
    server.close().then(
      () => exit(0),
      () => exit(1),
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
