import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's fixtures/ folder, beside its package.json: the nearest above this module, which sits in src/data (under
 * tsx), dist/data (compiled) or dist/ (the bundled server).
 */
function findFixtures(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return join(dir, 'fixtures');
    if (dirname(dir) === dir) throw new Error(`no fixtures/ folder above ${from}`);
  }
}

export const fixturesDir = findFixtures(dirname(fileURLToPath(import.meta.url)));

/** Reads fixtures/<path> as JSON. */
export function readFixture<T>(path: string): T {
  return JSON.parse(readFileSync(`${fixturesDir}/${path}`, 'utf8')) as T;
}
