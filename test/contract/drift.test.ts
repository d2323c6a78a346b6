import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serializeDocument } from '../../src/contract/documents.js';
import { providers } from '../../src/providers.js';
import { CLIENT_TYPES_DIR, clientTypes, clientTypesFile } from '../../scripts/client-types.js';
import { generatedDocuments, root } from './contract.js';

const REGENERATE = 'run `npm run openapi` and commit the result';

describe('the committed contract is what the code generates', async () => {
  const documents = await generatedDocuments();

  it('has one document per provider plus provider-mock.json, and no other', () => {
    const committed = readdirSync(`${root}openapi`).filter((file) => file.endsWith('.json')).sort();
    expect(committed, REGENERATE).toEqual([...documents.keys()].sort());
  });

  it('has generated client types for every provider, and no other', () => {
    const committed = readdirSync(`${root}${CLIENT_TYPES_DIR}`).sort();
    expect(committed, REGENERATE).toEqual(providers.map((provider) => `${provider.slug}.ts`).sort());
  });

  it.each([...documents.keys()])('openapi/%s', (file) => {
    const committed = readFileSync(`${root}openapi/${file}`, 'utf8');
    expect(committed, REGENERATE).toBe(serializeDocument(documents.get(file)!));
  });

  it.each(providers.map((provider) => provider.slug))('the client types generated from openapi/%s.json', async (slug) => {
    const committed = readFileSync(`${root}${clientTypesFile(slug)}`, 'utf8');
    const generated = await clientTypes(documents.get(`${slug}.json`)!, `openapi/${slug}.json`);
    expect(committed, REGENERATE).toBe(generated);
  });
});
