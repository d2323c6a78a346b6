import type { OpenAPIV3 } from 'openapi-types';

export type Document = OpenAPIV3.Document;
type Operation = OpenAPIV3.OperationObject;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type Method = (typeof METHODS)[number];

export interface OperationEntry {
  /** The path template, e.g. `/api/users/{userId}`. */
  path: string;
  method: Method;
  operation: Operation;
}

/** Every operation of a document, in document order. */
export function operationsOf(document: Document): OperationEntry[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = item?.[method];
      return operation ? [{ path, method, operation }] : [];
    }),
  );
}

function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** The values of a template's `{name}` parameters in a concrete path; null when it does not match. */
export function pathParams(template: string, path: string): Record<string, string> | null {
  const match = templatePattern(template).exec(path);
  if (!match) return null;
  const names = [...template.matchAll(/\{([^}]+)\}/g)].map((name) => name[1] as string);
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1] as string)]));
}

/**
 * The operation that serves a request, as a router would choose it: among matching templates the
 * one with the fewest parameters, so that a literal segment wins over a parameter.
 */
export function findOperation(document: Document, method: string, url: string): OperationEntry | undefined {
  const path = url.split('?')[0] ?? url;
  const candidates = operationsOf(document).filter(
    (entry) => entry.method === method.toLowerCase() && pathParams(entry.path, path) !== null,
  );
  const paramCount = (entry: OperationEntry) => entry.path.split('{').length;
  return candidates.sort((a, b) => paramCount(a) - paramCount(b))[0];
}

/** The JSON media type of an operation's response for a status, where its schema and examples live. */
export function jsonResponse(operation: Operation, status: number | string): OpenAPIV3.MediaTypeObject | undefined {
  const response = operation.responses[String(status)] as OpenAPIV3.ResponseObject | undefined;
  const content = response?.content ?? {};
  const type = Object.keys(content).find((key) => /^application\/(.+\+)?json/.test(key));
  return type ? content[type] : undefined;
}
