import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { section, tableRows } from '../docs/markdown.js';
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

  it("lists in docs/configuration.md's table exactly the installed packages that declare more than the minimum, and what they declare", () => {
    const table = tableRows(section('docs/configuration.md', 'Node versions'));
    const listed = table.map(([name, , declares]) => `${name} ${declares}`);
    const installed = aboveMinimum.map(({ name, version, range }) => `\`${name}@${semver.major(version!)}\` \`node ${range}\``);
    expect(listed.sort()).toEqual([...new Set(installed)].sort());
  });
});
