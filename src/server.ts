import type { FastifyInstance } from 'fastify';
import { hostname, constants as osConstants } from 'node:os';
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
  return {
    app,
    url,
    close: () => app.close(),
  };
}

/** Each provider's demo credentials, their examples pointed at the running server. */
function demoCredentials(server: RunningServer) {
  return providers.map((provider) => ({
    provider: provider.slug,
    title: provider.title,
    credentials: (server.app.mock.stores.get(provider.slug)?.demoCredentials() ?? []).map((credential) => ({
      ...credential,
      example: credential.example.replaceAll('{base}', server.url),
    })),
  }));
}

/**
 * The start-up message: where the mock is, its docs, and each provider's demo credentials. With
 * the json log format, one JSON line like the log's own (level 30 is info), the same facts as
 * fields, so that everything on standard output is JSON lines.
 */
export function banner(server: RunningServer, format: 'pretty' | 'json' = server.app.mock.config.logFormat): string {
  const message = `provider-mock listening on ${server.url}`;
  const docs = `${server.url}/docs`;
  if (format === 'json') {
    const base = { level: 30, time: Date.now(), pid: process.pid, hostname: hostname() };
    return JSON.stringify({ ...base, msg: message, url: server.url, docs, providers: demoCredentials(server) });
  }
  const lines = [message, `  docs:    ${docs}`, ''];
  for (const provider of demoCredentials(server)) {
    lines.push(provider.title);
    for (const credential of provider.credentials) {
      lines.push(`  ${credential.label}: ${credential.value}  (${credential.scheme})`);
      lines.push(`    ${credential.example}`);
    }
  }
  return lines.join('\n');
}

interface ShutdownOptions {
  /** Ends the process; `process.exit` unless a test watches the code instead. */
  exit?: (code: number) => void;
  /** Where the signals come from; the process unless a test emits them. */
  signals?: SignalSource;
  /**
   * How long requests in flight may take before the process exits anyway (code 1): less than the
   * 10 s `docker stop` waits before it kills, so the mock still says why it stopped.
   */
  timeoutMs?: number;
}

interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Stops on SIGTERM or SIGINT: stops accepting connections, closes idle keep-alive ones, lets the
 * requests in flight finish and exits 0. A second signal exits at once with 128 + the signal's
 * number, as a shell reports a killed process; so does nothing after `timeoutMs`, with 1.
 * Returns a function that stops listening for the signals.
 */
export function closeOnSignals(server: RunningServer, options: ShutdownOptions = {}): () => void {
  const { exit = process.exit, signals = process, timeoutMs = 8_000 } = options;
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  let exited = false;
  const finish = (code: number) => {
    if (exited) return;
    exited = true;
    clearTimeout(timer);
    exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      server.app.log.warn(`${signal} received again, exiting now`);
      finish(128 + (osConstants.signals[signal] ?? 0));
      return;
    }
    closing = true;
    server.app.log.info(`${signal} received, finishing requests in flight`);
    timer = setTimeout(() => {
      server.app.log.error(`requests still running after ${timeoutMs} ms, exiting`);
      finish(1);
    }, timeoutMs);
    timer.unref();
    server.close().then(
      () => finish(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'error while closing');
        finish(1);
      },
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) signals.on(signal, onSignal);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) signals.off(signal, onSignal);
  };
}
