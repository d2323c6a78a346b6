import type { FastifyServerOptions } from 'fastify';

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

export function loggerOptions(
  level: string,
  format: 'pretty' | 'json',
  out: NodeJS.WritableStream = process.stdout,
): FastifyServerOptions['logger'] {
  if (level === 'silent') return false;
  return format === 'json' ? { level, stream: out } : { level, stream: readableStream(out) };
}
