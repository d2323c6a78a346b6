import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { type Document, findOperation, operationsOf } from '../../src/contract/operations.js';
import { readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { errorFormatProblem, formatOfPath } from '../hardening/formats.js';
import { makeApp } from '../helpers.js';

/** What JavaScript's Number() reads as an integer, and no client means as one. */
const NOT_DECIMAL = ['1e3', '1.0', '0x10', ' 2', '2 ', '+2', '0b1', '1_000'];

interface IntegerParameter {
  method: string;
  /** A concrete path of the operation, with any other parameter filled in. */
  path: string;
  name: string;
  in: 'query' | 'path';
  minimum: number;
  headers: Record<string, string>;
}

/** The documented request headers of a provider operation (its credential), none for the control plane. */
function headersFor(document: Document, method: string, template: string): Record<string, string> {
  for (const provider of providers) {
    for (const { example } of readExamples(provider.slug)) {
      const served = findOperation(document, example.request.method, example.request.url);
      if (served?.path === template && served.method === method && example.response.status === 200) {
        return example.request.headers ?? {};
      }
    }
  }
  return {};
}

/** Every integer query or path parameter of every operation the mock publishes: providers and control plane. */
async function integerParameters(app: FastifyInstance): Promise<IntegerParameter[]> {
  await app.ready();
  const document = app.swagger() as unknown as Document;
  return operationsOf(document).flatMap(({ path, method, operation }) =>
    (operation.parameters ?? []).flatMap((parameter) => {
      const { name, in: where, schema } = parameter as { name: string; in: string; schema?: { type?: string; minimum?: number } };
      if (schema?.type !== 'integer' || (where !== 'query' && where !== 'path')) return [];
      return [{ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x'), name, in: where, minimum: schema.minimum ?? 0, headers: headersFor(document, method, path) }];
    }),
  );
}

function urlWith(parameter: IntegerParameter, value: string): string {
  const encoded = encodeURIComponent(value);
  return parameter.in === 'query' ? `${parameter.path}?${parameter.name}=${encoded}` : parameter.path.replace('x', encoded);
}

describe('integer parameters take integers only, in every provider and in the control plane', () => {
  it('finds the integer parameters of the published operations', async () => {
    const found = (await integerParameters(await makeApp())).map((parameter) => `${parameter.path} ${parameter.name}`);
    expect(found).toEqual(expect.arrayContaining(['/api/v3/users page', '/api/v3/users per', '/__mock/datonis/accounts page', '/__mock/requests limit']));
  });

  it.each(NOT_DECIMAL)('%j is a 400 in the owner’s envelope, naming the parameter', async (value) => {
    const app = await makeApp();
    const parameters = await integerParameters(app);
    for (const parameter of parameters) {
      const url = urlWith(parameter, value);
      const response = await app.inject({ method: parameter.method as 'GET', url, headers: parameter.headers });
      expect(response.statusCode, url).toBe(400);
      expect(errorFormatProblem(formatOfPath(url), 400, response.json()), url).toBeUndefined();
      expect(response.body, url).toContain(`'${parameter.name}': must be an integer, in decimal digits`);
    }
  });

  it('the control plane refuses a parameter given twice, naming it', async () => {
    const app = await makeApp();
    for (const url of ['/__mock/datonis/accounts?page=1&page=2', '/__mock/requests?limit=1&limit=2']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().message, url).toMatch(/^Invalid parameter '(page|limit)'/);
    }
  });

  it('the same integer in decimal digits is taken', async () => {
    const app = await makeApp();
    for (const parameter of await integerParameters(app)) {
      const url = urlWith(parameter, String(Math.max(parameter.minimum, 1)));
      const response = await app.inject({ method: parameter.method as 'GET', url, headers: parameter.headers });
      expect(response.body, url).not.toContain(`'${parameter.name}'`);
      expect(response.statusCode, url).not.toBe(400);
    }
  });
});
