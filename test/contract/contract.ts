import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'openapi-fetch';
import { buildApp } from '../../src/app.js';
import type { SecurityScheme } from '../../src/contract/credentials.js';
import { contractDocuments } from '../../src/contract/documents.js';
import { type Document, jsonResponse, type OperationEntry } from '../../src/contract/operations.js';
import { providers } from '../../src/providers.js';
import { credentialSent } from '../credentials.js';

export const root = fileURLToPath(new URL('../../', import.meta.url));

/** A committed document, openapi/<file>. */
export function committedDocument(file: string): Document {
  return JSON.parse(readFileSync(`${root}openapi/${file}`, 'utf8')) as Document;
}

/** What `npm run openapi` would write now, by file name. */
export async function generatedDocuments(): Promise<Map<string, Document>> {
  const app = await buildApp({ users: 0 });
  try {
    await app.ready();
    return contractDocuments(app.swagger() as Document, providers);
  } finally {
    await app.close();
  }
}

const ajv = new Ajv({ strict: false, allErrors: true });
// ajv-formats is CommonJS: its plugin is the module's `default` property.
formats.default(ajv);

/**
 * A JSON-schema validator for each response of a document: `validator(entry, status)` checks a body
 * against the schema that operation declares for that status (undefined when it declares none).
 */
export async function responseValidators(document: Document) {
  const resolved = (await SwaggerParser.dereference(structuredClone(document) as never)) as Document;
  return (entry: OperationEntry, status: number | string): ValidateFunction | undefined => {
    const schema = jsonResponse(resolved.paths[entry.path]?.[entry.method] ?? entry.operation, status)?.schema;
    return schema ? ajv.compile(schema) : undefined;
  };
}

/** openapi-fetch middleware that sends a credential where the security scheme says it goes. */
export function sendCredential(scheme: SecurityScheme, value: string): Middleware {
  return {
    onRequest({ request }) {
      const url = new URL(request.url);
      const headers = new Headers(request.headers);
      const sent = credentialSent(scheme, value);
      for (const [name, text] of Object.entries(sent.headers)) headers.set(name, text);
      for (const [name, text] of Object.entries(sent.query)) url.searchParams.set(name, text);
      return new Request(url, { method: request.method, headers, body: request.body, signal: request.signal });
    },
  };
}
