import openapiTS, { astToString } from 'openapi-typescript';
import type { Document } from '../src/contract/operations.js';

/** Where each provider's generated client types are committed. */
export const CLIENT_TYPES_DIR = 'test/contract/generated';
export const clientTypesFile = (slug: string) => `${CLIENT_TYPES_DIR}/${slug}.ts`;

/** The TypeScript types that openapi-typescript generates from one document, for openapi-fetch. */
export async function clientTypes(document: Document, source: string): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as Parameters<typeof openapiTS>[0], { silent: true });
  return `/** Generated from ${source} by \`npm run openapi\` (openapi-typescript): do not edit. */\n\n${astToString(ast)}`;
}
