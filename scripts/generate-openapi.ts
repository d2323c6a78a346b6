import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { contractDocuments, serializeDocument } from '../src/contract/documents.js';
import type { Document } from '../src/contract/operations.js';
import { providers } from '../src/providers.js';
import { CLIENT_TYPES_DIR, clientTypes, clientTypesFile } from './client-types.js';

const root = fileURLToPath(new URL('../', import.meta.url));

/** Removes the generated files (by extension) of a folder that are no longer generated: a provider gone. */
async function removeStale(folder: string, extension: string, keep: string[]): Promise<void> {
  for (const file of await readdir(`${root}${folder}`)) {
    if (file.endsWith(extension) && !keep.includes(file)) await rm(`${root}${folder}/${file}`);
  }
}

/** Writes openapi/*.json from the routes' schemas, and the client types generated from them. */
async function main(): Promise<void> {
  const app = await buildApp({ users: 0 });
  await app.ready();
  const documents = contractDocuments(app.swagger() as Document, providers);
  await app.close();

  await mkdir(`${root}openapi`, { recursive: true });
  await removeStale('openapi', '.json', [...documents.keys()]);
  for (const [file, document] of documents) {
    await writeFile(`${root}openapi/${file}`, serializeDocument(document));
    console.log(`openapi/${file}`);
  }

  await mkdir(`${root}${CLIENT_TYPES_DIR}`, { recursive: true });
  await removeStale(CLIENT_TYPES_DIR, '.ts', providers.map((provider) => `${provider.slug}.ts`));
  for (const provider of providers) {
    const document = documents.get(`${provider.slug}.json`) as Document;
    await writeFile(`${root}${clientTypesFile(provider.slug)}`, await clientTypes(document, `openapi/${provider.slug}.json`));
    console.log(clientTypesFile(provider.slug));
  }
}

await main();
