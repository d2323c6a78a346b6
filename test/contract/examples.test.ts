import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { providerFile } from '../../src/contract/documents.js';
import { findOperation, jsonResponse } from '../../src/contract/operations.js';
import { providers } from '../../src/providers.js';
import { committedDocument, responseValidators } from './contract.js';

const cases = providers.flatMap((provider) => readExamples(provider.slug).map((named) => [named.file, provider, named] as const));

describe('every documented example response validates against its operation’s schema', () => {
  it('every provider has documented examples', () => {
    for (const provider of providers) expect(readExamples(provider.slug), provider.slug).not.toHaveLength(0);
  });

  it.each(cases)('%s', async (_file, provider, { name, example }) => {
    const document = committedDocument(providerFile(provider));
    const entry = findOperation(document, example.request.method, example.request.url);
    expect(entry, `an operation serves ${example.request.method} ${example.request.url}`).toBeDefined();
    const validate = (await responseValidators(document))(entry!, example.response.status);
    expect(validate, `the operation declares a JSON schema for ${example.response.status}`).toBeDefined();
    const valid = validate!(example.response.body);
    expect(validate!.errors ?? [], 'schema errors').toEqual([]);
    expect(valid).toBe(true);
    const shown = jsonResponse(entry!.operation, example.response.status)?.examples?.[name];
    expect(shown, 'the document shows the example').toMatchObject({ value: example.response.body });
  });
});
