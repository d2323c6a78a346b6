import { STATUS_CODES } from 'node:http';
import { Value } from '@sinclair/typebox/value';
import { type ProviderSlug, providers } from '../../src/providers.js';

/** Whose error format a path answers in: each provider's documented prefix, the control plane, or neither. */
export type ErrorFormatName = ProviderSlug | 'control' | 'neutral';

const PREFIXES: [string, ErrorFormatName][] = [
  ...providers.flatMap((provider) => provider.pathPrefixes.map((prefix): [string, ErrorFormatName] => [prefix, provider.slug])),
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

/**
 * What is wrong with an error body for its format and status, or undefined when it is exactly the
 * envelope (and only it): a provider's as its definition states it, the mock's own otherwise.
 */
export function errorFormatProblem(format: ErrorFormatName, status: number, body: unknown): string | undefined {
  const shown = `not the ${format} error format for ${status}: ${JSON.stringify(body)?.slice(0, 300)}`;
  const provider = providers.find((candidate) => candidate.slug === format);
  if (provider) {
    const envelope = provider.errorEnvelope(status);
    if (Value.Check(envelope, body)) return undefined;
    const [first] = Value.Errors(envelope, body);
    return `${shown} (${first ? `${first.path || '/'} ${first.message}` : 'no detail'})`;
  }
  const b = body as Record<string, unknown>;
  const ok = keys(b) === 'error,message,statusCode' && b.statusCode === status && b.error === STATUS_CODES[status] && isText(b.message);
  return ok ? undefined : shown;
}

/** The body as JSON, or undefined when it does not parse. */
export function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
