import { STATUS_CODES } from 'node:http';
import { providers } from '../../src/providers.js';

/** Whose error format a path answers in: each provider's documented prefix, the control plane, or neither. */
export type ErrorFormatName = 'datafiniti' | 'fingerbank' | 'plaspy' | 'datonis' | 'control' | 'neutral';

const PREFIXES: [string, ErrorFormatName][] = [
  ...providers.flatMap((provider) => provider.pathPrefixes.map((prefix): [string, ErrorFormatName] => [prefix, provider.slug as ErrorFormatName])),
  ['/__mock', 'control'],
];

export function formatOfPath(url: string): ErrorFormatName {
  const path = url.split('?')[0] ?? '';
  return PREFIXES.find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`))?.[1] ?? 'neutral';
}

function keys(value: unknown): string {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).sort().join(',') : typeof value;
}

const isText = (value: unknown) => typeof value === 'string' && value.length > 0;
const isCount = (value: unknown) => Number.isInteger(value) && (value as number) >= 0;

/**
 * What is wrong with an error body for its format and status, or undefined when it is exactly the
 * documented envelope (and only it).
 */
export function errorFormatProblem(format: ErrorFormatName, status: number, body: unknown): string | undefined {
  const b = body as Record<string, unknown>;
  const problem = (ok: boolean) => (ok ? undefined : `not the ${format} error format for ${status}: ${JSON.stringify(body)?.slice(0, 300)}`);
  switch (format) {
    case 'datafiniti':
      return problem(keys(b) === 'code,error,message' && b.code === status && b.error === STATUS_CODES[status] && isText(b.message));
    case 'fingerbank':
      return problem(keys(b) === 'message' && isText(b.message));
    case 'plaspy':
      return problem(
        keys(b) === 'apiDailyUsage,apiUsage,error,success' &&
          b.success === false &&
          isText(b.error) &&
          isCount(b.apiUsage) &&
          isCount(b.apiDailyUsage),
      );
    case 'datonis': {
      const inner = b?.error as Record<string, unknown> | undefined;
      return problem(keys(b) === 'error' && keys(inner) === 'code,message' && inner?.code === status && isText(inner?.message));
    }
    case 'control':
    case 'neutral':
      return problem(keys(b) === 'error,message,statusCode' && b.statusCode === status && b.error === STATUS_CODES[status] && isText(b.message));    default:
      return `no envelope is known for the ${format as string} error format: add it here`;
  }
}

/** The body as JSON, or undefined when it does not parse. */
export function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
