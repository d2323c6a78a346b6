import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

/**
 * `npm run build [-- --outDir <dir>]`: compiles src/ into dist/ (the library the package exports,
 * with its types), then bundles the server's entry point, dist/cli.js, into one file in its place.
 * Node then starts the server without resolving and reading hundreds of modules one by one, which
 * took most of its start-up. @fastify/swagger-ui stays a module of its own: it serves the files of
 * its own folder.
 */
const { values } = parseArgs({ options: { outDir: { type: 'string', default: 'dist' } } });
const outDir = values.outDir;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { stdio: 'inherit' });

const entry = `${outDir}/cli.js`;
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@fastify/swagger-ui'],
  // the packages are this project's, wherever the output goes
  nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
  // the CommonJS packages inside call require() for Node's own modules
  banner: { js: "import { createRequire as createRequireOfBundle } from 'node:module';\nconst require = createRequireOfBundle(import.meta.url);" },
  logLevel: 'warning',
});
