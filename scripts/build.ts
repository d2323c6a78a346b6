import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundle } from './bundle.mjs';

/**
 * `npm run build [-- --outDir <dir>]` (and `prepack`): compiles src/ into dist/ (the library the
 * package exports, with its types), then bundles the server into dist/server.cjs, run by dist/cli.js
 * in the place of tsc's, with the assets its packages read (scripts/bundle.mjs). `npm start` and `prepare` make the bundle alone.
 */
const { values } = parseArgs({ options: { outDir: { type: 'string', default: 'dist' } } });
const outDir = resolve(values.outDir);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir], { stdio: 'inherit' });
await bundle(outDir);
