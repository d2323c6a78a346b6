import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Slug } from './endpoints.js';

/** Stoplight Prism, the peer; 5.14.2 is the last release that runs on Node 20. */
export const PRISM_PACKAGE = '@stoplight/prism-cli@5.14.2';
const PEER_DIR = 'bench/.peer';
export const PRISM_BIN = `${PEER_DIR}/node_modules/.bin/prism`;

/** Installs Prism into bench/.peer (ignored by git, never a dependency of the project) unless it is there. */
export function ensurePrism(): string {
  if (existsSync(PRISM_BIN)) return PRISM_BIN;
  mkdirSync(PEER_DIR, { recursive: true });
  process.stderr.write(`installing ${PRISM_PACKAGE} into ${PEER_DIR} …\n`);
  execFileSync('npm', ['install', '--prefix', PEER_DIR, '--no-save', '--no-audit', '--no-fund', PRISM_PACKAGE], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(PRISM_BIN)) throw new Error(`${PRISM_PACKAGE} did not install`);
  return PRISM_BIN;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { tags?: string[] }>>;
  [key: string]: unknown;
}

/**
 * The OpenAPI document Prism mocks for one provider: the committed openapi/<slug>.json when there
 * is one, or else one made now from the app's own routes (the paths tagged with the provider).
 */
export async function peerDocument(slug: Slug, title: string): Promise<string> {
  const committed = `openapi/${slug}.json`;
  if (existsSync(committed)) return committed;
  const file = `${PEER_DIR}/openapi-${slug}.json`;
  mkdirSync(PEER_DIR, { recursive: true });
  const { buildApp } = await import('../src/app.js');
  const app = await buildApp({ users: 0 });
  await app.ready();
  const whole = app.swagger() as unknown as OpenApiDocument;
  await app.close();
  const paths = Object.fromEntries(
    Object.entries(whole.paths).filter(([, operations]) =>
      Object.values(operations).some((operation) => operation.tags?.includes(title)),
    ),
  );
  writeFileSync(file, JSON.stringify({ ...whole, paths }, null, 2));
  return file;
}

export function prismVersion(): string {
  try {
    return JSON.parse(readFileSync(`${PEER_DIR}/node_modules/@stoplight/prism-cli/package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}
