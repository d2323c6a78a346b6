// `npm pack` and `npm publish` (prepack, postpack): the package.json they pack has no `prepare`.
// `prepare` bundles the server after `npm ci` in a clone; in an installed tarball it would do
// nothing useful, and npm 11 warns about it on every install ("install scripts not yet covered by
// allowScripts"). npm reads package.json from disk when it packs, so `strip` (prepack) writes it
// without the script, keeping the file as it was beside it, and `restore` (postpack) puts it back
// byte for byte. A pack that failed in between left the kept file: `strip` restores it first.
// Plain JavaScript, as scripts/bundle.mjs: node runs it alone.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const manifest = fileURLToPath(new URL('../package.json', import.meta.url));
const kept = fileURLToPath(new URL('../.package.json.before-pack', import.meta.url));

function restore() {
  if (existsSync(kept)) renameSync(kept, manifest);
}

function strip() {
  restore();
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync(kept, text);
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
}

const action = process.argv[2];
if (action === 'strip') strip();
else if (action === 'restore') restore();
else {
  process.stderr.write('usage: node scripts/published-manifest.mjs strip|restore\n');
  process.exit(2);
}
