import type { FastifyInstance } from 'fastify';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { credentialsFor, type SecurityScheme } from '../../src/contract/credentials.js';
import { providerFile } from '../../src/contract/documents.js';
import { findOperation, type OperationEntry, operationsOf, pathParams } from '../../src/contract/operations.js';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { committedDocument, responseValidators, sendCredential } from './contract.js';
import type { paths as DatafinitiPaths } from './generated/datafiniti.js';

let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  app = await buildApp({ users: 5 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});

afterAll(() => app.close());

const isSuccess = (status: number) => status >= 200 && status < 300;

describe.each(providers.map((provider) => [provider.title, provider] as const))(
  '%s, called through a client generated from its document',
  (_title, provider) => {
    const document = committedDocument(providerFile(provider));
    const schemes = (document.components?.securitySchemes ?? {}) as Record<string, SecurityScheme>;
    const examples = readExamples(provider.slug);

    /** The documented success exchange of an operation: its parameters and the status to expect. */
    function successExample(entry: OperationEntry) {
      const found = examples.find(
        ({ example }) =>
          isSuccess(example.response.status) &&
          findOperation(document, example.request.method, example.request.url)?.path === entry.path,
      );
      if (!found) throw new Error(`${entry.method.toUpperCase()} ${entry.path} has no documented success example`);
      return found.example;
    }

    const cases = operationsOf(document).flatMap((entry) =>
      (entry.operation.security ?? document.security ?? [{}]).map(
        (requirement) => [`${entry.method.toUpperCase()} ${entry.path}`, Object.keys(requirement).join(' + ') || 'no credential', entry, requirement] as const,
      ),
    );

    it.each(cases)('%s, authenticated with %s', async (_operation, _schemes, entry, requirement) => {
      const example = successExample(entry);
      const [path, search = ''] = example.request.url.split('?');
      const client = createClient<Record<string, never>>({ baseUrl });
      for (const name of Object.keys(requirement)) {
        const scheme = schemes[name];
        if (!scheme) throw new Error(`security scheme ${name} is not in the document`);
        const [credential] = credentialsFor(scheme, app.mock.storeOf(provider.slug).demoCredentials());
        if (!credential) throw new Error(`no demo credential names the way ${name} sends it`);
        client.use(sendCredential(scheme, credential.value));
      }
      // The operations are listed at run time, so their paths cannot be the literal types the client checks.
      const request = client.request as (method: string, path: string, init: object) => ReturnType<typeof client.GET>;
      const { response, data } = await request(entry.method, entry.path, {
        params: { path: pathParams(entry.path, path ?? ''), query: Object.fromEntries(new URLSearchParams(search)) },
      });
      expect(response.status).toBe(example.response.status);
      const validate = (await responseValidators(document))(entry, response.status);
      expect(validate?.(data), JSON.stringify(validate?.errors)).toBe(true);
    });
  },
);

describe('the generated types describe what the mock answers', () => {
  it('Datafiniti GET /v3/users: the caller’s account, typed', async () => {
    const client = createClient<DatafinitiPaths>({ baseUrl });
    const token = 'AAAXXXXXXXXXXXX';
    const { data, error } = await client.GET('/v3/users', {
      headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` },
    });
    expect(error).toBeUndefined();
    const [account] = data ?? [];
    expect(account?.organization).toBe('Acme Corp');
    expect(account?.available_downloads).toBe(10000);

    const denied = await client.GET('/v3/users');
    expect(denied.response.status).toBe(401);
    expect(denied.error?.message).toBe('Authentication required. Please provide a valid API token');
  });
});
