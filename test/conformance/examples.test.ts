import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturesDir, readFixture } from '../../src/core/fixtures.js';
import { makeApp } from '../helpers.js';

interface Example {
  description: string;
  source: string;
  request: { method: string; url: string; headers?: Record<string, string>; body?: string };
  response: { status: number; body: unknown };
}

const examples = readdirSync(fixturesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((provider) => {
    const folder = `${provider.name}/examples`;
    let files: string[] = [];
    try {
      files = readdirSync(`${fixturesDir}/${folder}`).filter((file) => file.endsWith('.json'));
    } catch {
      return [];
    }
    return files.map((file) => [`${folder}/${file}`, readFixture<Example>(`${folder}/${file}`)] as const);
  });

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
