import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root: src/core and dist/core both sit two levels below it. */
const root = fileURLToPath(new URL('../../', import.meta.url));

export const fixturesDir = `${root}fixtures`;

/** Reads fixtures/<path> as JSON. */
export function readFixture<T>(path: string): T {
  return JSON.parse(readFileSync(`${fixturesDir}/${path}`, 'utf8')) as T;
}
