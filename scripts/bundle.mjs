// Plain JavaScript, not TypeScript: `npm start` runs it with node alone, since loading tsx first
// would cost more than the bundling it saves. Its types are in bundle.d.mts.
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Files that packages inside the bundle read from their own folder at run time, by package: the
 * docs page's assets that @fastify/swagger-ui serves (and its logo, read at start-up). Nothing else
 * of theirs: csp.json is bundled, index.html is answered by a route, swagger-ui.js is not linked.
 * They are copied to <outDir>/assets/<package>/, and the package's code in the bundle finds them
 * there through its own `__dirname`.
 */
export const PACKAGE_ASSETS = {
  '@fastify/swagger-ui': [
    'static/favicon-16x16.png',
    'static/favicon-32x32.png',
    'static/index.css',
    'static/logo.svg',
    'static/oauth2-redirect.html',
    'static/oauth2-redirect.js',
    'static/swagger-ui-bundle.js',
    'static/swagger-ui-standalone-preset.js',
    'static/swagger-ui.css',
  ],
};

/** What the bundle is built from: a change to any of them makes it stale. */
const SOURCES = ['src', 'package.json', 'node_modules/.package-lock.json', 'scripts/bundle.mjs'];

/** The latest modification time of a file or folder and, for a folder, of all it holds. */
function latestChange(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  // a folder's own time changes when a file in it is added, removed or renamed
  let latest = stat.mtimeMs;
  for (const name of readdirSync(path)) latest = Math.max(latest, latestChange(join(path, name)));
  return latest;
}

/** Whether the bundle is missing or older than anything it is built from. */
export function bundleIsStale(outDir = join(root, 'dist')) {
  const bundle = statSync(join(outDir, 'server.cjs'), { throwIfNoEntry: false });
  if (!bundle || !existsSync(join(outDir, 'cli.js')) || !existsSync(join(outDir, 'assets'))) return true;
  return SOURCES.some((source) => latestChange(join(root, source)) > bundle.mtimeMs);
}

/** Sets `__dirname` in the bundled files of PACKAGE_ASSETS' packages to their folder under assets/. */
const packageAssetsPlugin = {
  name: 'package-assets',
  setup(build) {
    const slash = '[\\\\/]';
    const names = Object.keys(PACKAGE_ASSETS).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('/', slash));
    const filter = new RegExp(`${slash}node_modules${slash}(?:${names.join('|')})${slash}.*\\.c?js$`);
    build.onLoad({ filter }, async (args) => {
      // the folder below the last node_modules/ (wherever that is: it may be a link); the package's
      // own files only, not those of packages installed inside it
      const folder = dirname(args.path).split(sep).join('/').split('/node_modules/').at(-1);
      if (!Object.keys(PACKAGE_ASSETS).some((name) => folder === name || folder.startsWith(`${name}/`))) return undefined;
      const contents = await readFile(args.path, 'utf8');
      if (!contents.includes('__dirname')) return undefined;
      return { contents: `var __dirname = __bundleAssets(${JSON.stringify(folder)});\n${contents}`, loader: 'js' };
    });
  },
};

/** The command: runs the bundle beside it, the server, as plain CommonJS. */
const COMMAND = `#!/usr/bin/env node
// The server is server.cjs beside this file: one CommonJS bundle of src/ and every package it
// imports (scripts/bundle.mjs), CommonJS so that \`npm start\` can load it with a V8 code cache.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./server.cjs');
`;

/**
 * Bundles src/cli.ts, with every package it imports, into `<outDir>/server.cjs`, writes the command
 * that runs it, `<outDir>/cli.js`, and copies the files of PACKAGE_ASSETS beside them: node then
 * starts the server without resolving and reading hundreds of modules one by one, and the bundle
 * and its assets run with no node_modules at all.
 */
export async function bundle(outDir = join(root, 'dist')) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'src/cli.ts')],
    outfile: join(outDir, 'server.cjs'),
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    plugins: [packageAssetsPlugin],
    // the sources find package.json and fixtures/ from their own URL
    define: { 'import.meta.url': '__bundleUrl' },
    banner: {
      js: [
        "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;",
        "const __bundleAssets = (folder) => require('node:path').join(__dirname, 'assets', folder);",
      ].join('\n'),
    },
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, 'cli.js'), COMMAND);
  chmodSync(join(outDir, 'cli.js'), 0o755);
  const assets = join(outDir, 'assets');
  rmSync(assets, { recursive: true, force: true });
  for (const [name, files] of Object.entries(PACKAGE_ASSETS)) {
    for (const file of files) cpSync(join(root, 'node_modules', name, file), join(assets, name, file));
  }
}

/** Bundles when the bundle is stale; says so on standard error, since standard output may be JSON lines. */
export async function bundleIfStale(outDir = join(root, 'dist')) {
  if (!bundleIsStale(outDir)) return false;
  const started = performance.now();
  await bundle(outDir);
  process.stderr.write(`provider-mock: bundled src/ into ${relative(process.cwd(), join(outDir, 'server.cjs'))} in ${Math.round(performance.now() - started)} ms\n`);
  return true;
}

// `node scripts/bundle.mjs`, npm's `prepare` after `npm ci`: the bundle, and the code cache that
// `npm start` loads it with (scripts/start.mjs), are ready before the first `npm start`. Without the
// dev dependencies (`npm ci --omit=dev`) there is nothing to bundle with.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleIfStale().catch((error) => {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    process.stderr.write(`provider-mock: not bundled, esbuild is not installed (${error.message})\n`);
  });
  if (existsSync(join(root, 'dist/server.cjs'))) {
    const { spawnSync } = await import('node:child_process');
    const args = [join(root, 'scripts/start.mjs'), '--host', '127.0.0.1', '--port', '0', '--users', '50', '--log-level', 'silent'];
    const env = { ...process.env, PROVIDER_MOCK_CACHE_ONLY: '1' };
    const warm = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
    if (warm.status !== 0) process.stderr.write('provider-mock: no code cache written; npm start writes it on its first run\n');
  }
}
