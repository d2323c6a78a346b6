import SwaggerParser from '@apidevtools/swagger-parser';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMBINED_FILE, providerFile } from '../../src/contract/documents.js';
import { operationsOf } from '../../src/contract/operations.js';
import { providers } from '../../src/providers.js';
import { committedDocument, root } from './contract.js';

const files = readdirSync(`${root}openapi`).filter((file) => file.endsWith('.json'));

describe('the committed OpenAPI documents', () => {
  it.each(files)('openapi/%s is a valid OpenAPI document (swagger-parser)', async (file) => {
    await expect(SwaggerParser.validate(`${root}openapi/${file}`)).resolves.toBeTruthy();
  });

  it.each(providers.map((provider) => [provider.title, provider] as const))(
    '%s: its real server first, then the mock; its own operations and security schemes only',
    (_title, provider) => {
      const document = committedDocument(providerFile(provider));
      expect(document.servers?.map((server) => server.url)).toEqual([provider.serverUrl, 'http://127.0.0.1:4010']);
      expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual(
        Object.keys(provider.securitySchemes).sort(),
      );
      const operations = operationsOf(document);
      expect(operations.length).toBeGreaterThan(0);
      for (const { operation } of operations) {
        expect(operation.tags).toContain(provider.title);
        const schemes = (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
        expect(schemes.length, `${operation.operationId} names its security`).toBeGreaterThan(0);
        for (const scheme of schemes) expect(provider.securitySchemes).toHaveProperty(scheme);
      }
    },
  );

  it('provider-mock.json holds every provider’s operations', () => {
    const combined = operationsOf(committedDocument(COMBINED_FILE)).map(({ method, path }) => `${method} ${path}`);
    for (const provider of providers) {
      for (const { method, path } of operationsOf(committedDocument(providerFile(provider)))) {
        expect(combined).toContain(`${method} ${path}`);
      }
    }
  });
});
