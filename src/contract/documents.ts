import { STATUS_CODES } from 'node:http';
import type { OpenAPIV3 } from 'openapi-types';
import { readExamples } from '../data/examples.js';
import type { Provider } from '../provider.js';
import { type Document, findOperation, jsonResponse, operationsOf } from './operations.js';

/** The file every document is written to, under openapi/. */
export const COMBINED_FILE = 'provider-mock.json';
export const providerFile = (provider: Provider) => `${provider.slug}.json`;

const KEY_ORDER = ['openapi', 'info', 'servers', 'tags', 'security', 'paths', 'components'];

/** The conventional order of a document's top-level keys, the rest after them as they came. */
function ordered(document: Document): Document {
  const keys = [...KEY_ORDER.filter((key) => key in document), ...Object.keys(document).filter((key) => !KEY_ORDER.includes(key))];
  return Object.fromEntries(keys.map((key) => [key, document[key as keyof Document]])) as unknown as Document;
}

/** Fastify's placeholder "Default Response" says nothing: name the status instead. */
function nameResponses(document: Document): void {
  for (const { operation } of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      const object = response as OpenAPIV3.ResponseObject;
      if (object.description === 'Default Response') object.description = STATUS_CODES[status] ?? status;
    }
  }
}

const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** `get /api/users/{userId}` → `getApiUsersByUserId`: a stable name for generators that want one. */
function operationName(method: string, path: string): string {
  const words = path.split('/').flatMap((segment) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    const parts = (param ?? segment).split(/[^A-Za-z0-9]+/).filter(Boolean).map(capitalized);
    return param ? ['By', ...parts] : parts;
  });
  return method + words.join('');
}

function nameOperations(document: Document): void {
  for (const { path, method, operation } of operationsOf(document)) {
    const item = document.paths[path] as OpenAPIV3.PathItemObject;
    item[method] = { operationId: operationName(method, path), ...operation };
  }
}

/** Each provider's documented exchanges, as named examples of the responses they show. */
function attachExamples(document: Document, list: readonly Provider[]): void {
  for (const provider of list) {
    for (const { name, example } of readExamples(provider.slug)) {
      const entry = findOperation(document, example.request.method, example.request.url);
      const media = entry && jsonResponse(entry.operation, example.response.status);
      if (!media) continue;
      const headers = Object.entries(example.request.headers ?? {}).map(([header, value]) => `\`${header}: ${value}\``);
      const request = [`\`${example.request.method} ${example.request.url}\``, ...headers];
      if (example.request.body !== undefined) request.push(`body \`${example.request.body}\``);
      const differs = example.differs ? `. The mock's answer differs from the page's. ${example.differs.reason}` : '';
      media.examples = {
        ...media.examples,
        [name]: { summary: example.description, description: `Request: ${request.join(', ')}${differs}`, value: example.response.body },
      };
    }
  }
}

/**
 * The whole contract: every route Fastify documents (every provider, and whatever else the mock
 * serves), with readable response descriptions and the documented examples.
 */
export function combinedDocument(spec: Document, list: readonly Provider[]): Document {
  const document = structuredClone(spec);
  nameOperations(document);
  nameResponses(document);
  attachExamples(document, list);
  return ordered(document);
}

/** The names of the component schemas a value refers to, directly or through other schemas. */
function referencedSchemas(value: unknown, schemas: Record<string, unknown>, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) referencedSchemas(item, schemas, found);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const name = key === '$ref' && typeof item === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(item)?.[1] : undefined;
      if (name && !found.has(name)) {
        found.add(name);
        referencedSchemas(schemas[name], schemas, found);
      } else {
        referencedSchemas(item, schemas, found);
      }
    }
  }
  return found;
}

/**
 * One provider's part of the combined document: its operations (those tagged with its title), its
 * own security schemes and the schemas they use; the real service as first server, the mock second.
 */
export function providerDocument(combined: Document, provider: Provider): Document {
  const paths: OpenAPIV3.PathsObject = {};
  for (const { path, method, operation } of operationsOf(combined)) {
    if (!operation.tags?.includes(provider.title)) continue;
    paths[path] = { ...paths[path], [method]: structuredClone(operation) };
  }
  const allSchemas = combined.components?.schemas ?? {};
  const schemas = Object.fromEntries(
    [...referencedSchemas(paths, allSchemas)].sort().flatMap((name) => (allSchemas[name] ? [[name, allSchemas[name]]] : [])),
  );
  const ownSchemes = Object.keys(provider.securitySchemes);
  const securitySchemes = Object.fromEntries(
    Object.entries(combined.components?.securitySchemes ?? {}).filter(([name]) => ownSchemes.includes(name)),
  );
  return ordered({
    openapi: combined.openapi,
    info: {
      title: `${provider.title} (provider-mock)`,
      version: combined.info.version,
      description: `The ${provider.title} endpoints that provider-mock reproduces. The first server is the real service, the second the mock.`,
    },
    servers: [{ url: provider.serverUrl, description: `${provider.title} (the real service)` }, ...(combined.servers ?? [])],
    tags: (combined.tags ?? []).filter((tag) => tag.name === provider.title),
    paths,
    components: { securitySchemes, schemas: structuredClone(schemas) },
  });
}

/** Every committed document by file name: one per provider, then the combined one. */
export function contractDocuments(spec: Document, list: readonly Provider[]): Map<string, Document> {
  const combined = combinedDocument(spec, list);
  const files = new Map(list.map((provider) => [providerFile(provider), providerDocument(combined, provider)]));
  files.set(COMBINED_FILE, combined);
  return files;
}

/** A document as committed: two-space JSON, one trailing newline. */
export function serializeDocument(document: Document): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
