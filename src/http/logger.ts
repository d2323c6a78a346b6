import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { type DestinationStream, type Logger, pino } from 'pino';

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Pino's JSON lines turned into `12:00:00.123 INFO message` for a person at a terminal. */
function readableStream(out: NodeJS.WritableStream) {
  return {
    write(line: string) {
      const entry = JSON.parse(line) as { time: number; level: number; msg?: string; err?: { stack?: string } };
      const time = new Date(entry.time).toISOString().slice(11, 23);
      const error = entry.err?.stack ? `\n${entry.err.stack}` : '';
      out.write(`${time} ${LEVEL_NAMES[entry.level] ?? entry.level} ${entry.msg ?? ''}${error}\n`);
    },
  };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Whether a logger set to `level` writes messages of level `wanted`. */
export function logsAt(level: string, wanted: 'info' | 'debug'): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(wanted);
}

/**
 * Where JSON lines go: a given stream, or standard output written asynchronously. A synchronous
 * write per line cost a system call per request (measured before: Datafiniti with production logs
 * served 0.52 of the Fastify floor's requests per second, 0.67 with logging silent); written asynchronously,
 * the lines made while one write is in flight leave together in the next, in order, with no delay
 * when the server is idle. pino flushes what is left when the process exits, normally or not.
 */
function jsonStream(out: NodeJS.WritableStream | undefined): NodeJS.WritableStream | DestinationStream {
  return out ?? pino.destination({ dest: 1, sync: false });
}

/** The mock's logger at `level`, JSON lines or readable ones; none when silent. */
export function createLogger(level: string, format: 'pretty' | 'json', out?: NodeJS.WritableStream): Logger | undefined {
  if (level === 'silent') return undefined;
  return pino({ level }, format === 'json' ? jsonStream(out) : readableStream(out ?? process.stdout));
}

/**
 * Fastify's options for the logger: Fastify is given none of its own, and every request, its reply
 * and the server log through `logger` (and `logThrough`). With a logger of its own, Fastify
 * adds a 'finish' and an 'error' listener to every response and takes the time twice, to log the
 * response, which the mock never asks it to (its access line is written as the answer is sent):
 * 0.25 to 0.4 µs per answer in a loop of 200,000 on a loaded machine; with the app's merged
 * hooks (app.ts), 6,300 fewer instructions per Plaspy get answer of 163,600 with production logs,
 * 3,700 to 4,200 of 126,000 silent (callgrind). Silent, Fastify's own null logger serves every
 * request as it is: no factory called and checked per request.
 */
export function loggerOptions(logger: Logger | undefined): Pick<FastifyServerOptions, 'logger' | 'childLoggerFactory'> {
  return logger ? { logger: false, childLoggerFactory: () => logger } : { logger: false };
}

/**
 * Every request logs through the server's own logger rather than a child of it made per request
 * with the request's id: the mock's one line per answer (its access line) says which request it
 * is. Making the child cost 1.9 to 3.6 µs per request (pino 10, 200,000 children, Node 20, on a
 * loaded 2-core machine), more than the line itself. Fastify keeps the logger it was given as
 * `app.log` (the server's lines: listening, warnings): set here, before any plugin inherits it.
 */
export function logThrough(app: FastifyInstance, logger: Logger | undefined): void {
  if (logger) app.log = logger;
}
