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

/**
 * Reads <dir>/<path> of a folder of recorded fixtures (`provider-mock record --out <dir>`), laid out as
 * fixtures/ is; undefined when no folder is configured or it holds no such file.
 */
export function readRecordedFixture<T>(dir: string | undefined, path: string): T | undefined {
  if (dir === undefined) return undefined;
  if (!existsSync(dir)) throw new Error(`fixtures: no folder ${dir}`);
  const file = join(dir, path);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}
