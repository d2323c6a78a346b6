import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { root } from './image.js';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};
const minimum = semver.minVersion(pkg.engines.node)!.version;

/** Installed packages whose own `engines` refuse the declared minimum Node: npm warns EBADENGINE for each. */
const aboveMinimum = Object.entries(lock.packages).flatMap(([path, entry]) => {
  const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
  if (!path || !range || semver.satisfies(minimum, range)) return [];
  return [{ name: path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), version: entry.version, range }];
});

describe('engines', () => {
  it('declares a minimum that this run satisfies', () => {
    expect(semver.satisfies(process.version, pkg.engines.node)).toBe(true);
  });

  it('names in the README each installed package that declares more than the minimum, and what it declares', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const { name, version, range } of aboveMinimum) {
      expect(readme, `${name}@${version} declares node ${range}`).toContain(`\`${name}@${semver.major(version!)}\``);
      expect(readme, `${name}@${version} declares node ${range}`).toContain(`\`node ${range}\``);
    }
  });
});
