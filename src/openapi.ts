import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { Provider } from './provider.js';

export function openapiOptions(list: readonly Provider[]): FastifyDynamicSwaggerOptions {
  return {
    transformObject: (document) => withOptionalGetBodies('openapiObject' in document ? document.openapiObject : document.swaggerObject),
    // Shared schemas keep their `$id` as their name, so that one provider's schemas never renumber another's.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'provider-mock',
        version: '0.1.0',
        description: `Mock of the user/account endpoints of ${list.map((p) => p.title).join(', ')}.`,
      },
      servers: [{ url: 'http://127.0.0.1:4010', description: 'provider-mock' }],
      tags: list.map((provider) => ({
        name: provider.title,
        description: `Served at the paths the real service documents. Real service: ${provider.serverUrl}`,
      })),
      components: {
        securitySchemes: Object.assign({}, ...list.map((provider) => provider.securitySchemes)),
      },
    },
  };
}

type Operations = Record<string, Record<string, { requestBody?: { required?: boolean } }>>;

/**
 * A GET's request body is never required: its parameters may all come in the query string
 * instead. (@fastify/swagger marks every body it documents as required.)
 */
function withOptionalGetBodies<T extends { paths?: unknown }>(document: T): T {
  for (const operations of Object.values((document.paths ?? {}) as Operations)) {
    const body = operations.get?.requestBody;
    if (body) body.required = false;
  }
  return document;
}
