import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { fixturesDir } from '../../src/data/fixtures.js';
import { makeApp } from '../helpers.js';

const examples = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((provider) => readExamples(provider.name).map(({ file, example }) => [file, example] as const));

describe('documented examples, replayed against a fresh mock', () => {
  it('has examples for every provider folder', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('%s', async (_file, example) => {
    const app = await makeApp();
    const response = await app.inject({
      method: example.request.method as 'GET',
      url: example.request.url,
      headers: example.request.headers,
      payload: example.request.body,
    });
    expect(response.statusCode).toBe(example.response.status);
    expect(response.json()).toEqual(example.response.body);
  });
});
