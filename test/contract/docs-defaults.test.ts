import type { OpenAPIV3 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { operationsOf } from '../../src/contract/operations.js';
import { makeApp } from '../helpers.js';
import { committedDocument } from './contract.js';

/** Path parameters as a person fills them on /docs: ids that exist. */
const ACCOUNTS: Record<string, string> = {
  datafiniti: 'AAAXXXXXXXXXXXX',
  fingerbank: '9e1808205b91362f9e3543aa4cea406e4aeedc69',
  plaspy: 'plaspy-demo-token',
  datonis: 'a7c2e9f41b',
};
const USERS: Record<string, string> = { plaspy: 'usr-12345', datonis: '1e5228ttd8' };

function concrete(path: string): string {
  const slug = /^\/__mock\/(\w+)\//.exec(path)?.[1] ?? '';
  return path
    .replace('{accountId}', ACCOUNTS[slug] ?? '')
    .replace('{userId}', USERS[slug] ?? '')
    .replace('{id}', 'fault-1');
}

/** The bodies "Try it out" starts from: the request body's example, or each of its examples. */
function examplesOf(operation: OpenAPIV3.OperationObject): unknown[] {
  const media = (operation.requestBody as OpenAPIV3.RequestBodyObject | undefined)?.content['application/json'];
  if (!media) return [];
  if (media.example !== undefined) return [media.example];
  return Object.values(media.examples ?? {}).map((example) => (example as OpenAPIV3.ExampleObject).value);
}

const document = committedDocument('provider-mock.json');
/** The control plane's operations with a body (a provider's, such as Datonis's GET body, need its credential). */
const withBodies = operationsOf(document).filter(({ path, operation }) => path.startsWith('/__mock/') && operation.requestBody !== undefined);
const cases = withBodies.flatMap(({ path, method, operation }) =>
  (examplesOf(operation).length > 0 ? examplesOf(operation) : [undefined]).map((example, index) => ({
    name: `${method.toUpperCase()} ${path} #${index + 1}`,
    path,
    method,
    example,
  })),
);

describe('the docs page’s "Try it out" bodies', () => {
  it('every control-plane operation with a body offers one', () => {
    expect(cases.filter((entry) => entry.example === undefined).map((entry) => entry.name)).toEqual([]);
  });

  it.each(cases)('$name is accepted as it stands', async ({ path, method, example }) => {
    const app = await makeApp();
    const response = await app.inject({ method: method.toUpperCase() as 'POST', url: concrete(path), payload: example as object });
    expect(response.statusCode, response.body).toBeLessThan(400);
  });

  it('every control-plane operation declares its error answers, in the control plane’s format', () => {
    const undeclared = operationsOf(document)
      .filter(({ path }) => path.startsWith('/__mock/') && path !== '/__mock/health' && !path.startsWith('/__mock/requests'))
      .filter(({ operation }) => !('400' in operation.responses) || !('401' in operation.responses))
      .map(({ method, path }) => `${method} ${path}`);
    expect(undeclared).toEqual([]);
  });
});
