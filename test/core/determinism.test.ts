import { Faker } from '@faker-js/faker';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { providers } from '../../src/providers.js';

/** Everything a store holds (Maps as entry lists), leaving out its context and faker instances. */
function serialize(store: unknown): string {
  return JSON.stringify(store, (key, value: unknown) => {
    if (key === 'context' || value instanceof Faker) return undefined;
    return value instanceof Map ? [...value] : value;
  });
}

async function snapshot(seed: number): Promise<string> {
  const app = await buildApp({ seed, users: 40 });
  const state = providers.map((provider) => serialize(app.mock.storeOf(provider.slug)));
  await app.close();
  return state.join('\n');
}

describe('generated data', () => {
  it('is byte-identical for the same seed', async () => {
    expect(await snapshot(7)).toBe(await snapshot(7));
  });

  it('differs for another seed, and holds the generated records', async () => {
    const seven = await snapshot(7);
    expect(seven).not.toBe(await snapshot(8));
    expect(seven.length).toBeGreaterThan(40 * 200);
  });
});
