import { existsSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, pages, prose, root } from './markdown.js';

/** Each relative link of each page, once: the file (or folder) it names, and the heading it points at. */
const links = pages.flatMap((page) =>
  [...new Set([...prose(page).matchAll(/\]\(([^)\s]+)\)/g)].map(([, target = '']) => target))]
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target) => {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? page : normalize(relative(root, join(root, dirname(page), path)));
      return { page, target, file, anchor };
    }),
);

describe('links between the README and the docs', () => {
  it('finds links to check', () => {
    expect(links.length).toBeGreaterThan(30);
  });

  it.each(links.map((link) => [`${link.page} → ${link.target}`, link] as const))('%s resolves', (_name, link) => {
    expect(existsSync(join(root, link.file)), `${link.file} does not exist`).toBe(true);
    if (link.anchor !== undefined) {
      expect(link.file.endsWith('.md'), `an anchor into ${link.file}, which is not a page`).toBe(true);
      expect([...anchors(link.file)]).toContain(link.anchor);
    }
  });
});
