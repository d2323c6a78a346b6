// `npm start`: the built server, rebuilt first when anything under src/ (or package.json, or the
// installed packages) changed since the last bundle, so that the source is always what runs.
// Plain JavaScript so that node runs it alone.
//
// It loads the bundle with a V8 code cache: compiling the 3 MB bundle took 113 ms of a start-up
// of about 600 ms here, and with the cache 28 ms, besides the functions that start-up compiles,
// which the cache holds too. The cache is written once the server listens, when it
// was missing, of another bundle or refused by V8 (another Node); `prepare` writes it after `npm ci`
// by starting the server once with PROVIDER_MOCK_CACHE_ONLY=1, which exits once it is written.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { bundleIfStale } from './bundle.mjs';

try {
  await bundleIfStale();
} catch (error) {
  process.stderr.write(`provider-mock: could not bundle src/ (are the dev dependencies installed? npm ci): ${error}\n`);
  process.exit(1);
}

const file = fileURLToPath(new URL('../dist/server.cjs', import.meta.url));
const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
// V8 checks only a cache's length against the source, so the file starts with the source's own
// digest: a cache of another bundle is never used, even one of the same length
const cacheFile = `${file}.v8-cache`;
const digest = createHash('sha256').update(process.version).update(source).digest();
let cachedData;
try {
  const cache = readFileSync(cacheFile);
  if (cache.subarray(0, digest.length).equals(digest)) cachedData = cache.subarray(digest.length);
} catch {
  // none yet
}
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const cacheOnly = process.env.PROVIDER_MOCK_CACHE_ONLY === '1';
if (cacheOnly || !cachedData || script.cachedDataRejected) {
  // once the banner is out, the functions that start-up compiled are in the cache too
  const write = process.stdout.write.bind(process.stdout);
  let written = false;
  process.stdout.write = (chunk, ...rest) => {
    const result = cacheOnly || write(chunk, ...rest);
    if (!written && String(chunk).includes('listening on')) {
      written = true;
      writeFileSync(cacheFile, Buffer.concat([digest, script.createCachedData()]));
      if (cacheOnly) process.exit(0);
    }
    return result;
  };
}
// `npm start` runs this through `sh -c`, and a SIGTERM to npm reaches that shell, which ends without
// passing it on: this process would be left serving, adopted by another parent. It watches for
// that change of parent and stops as the signal would have stopped it (a node process cannot ask
// the kernel for a signal when its parent dies).
if (process.env.npm_lifecycle_event === 'start') {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }, 200).unref();
}
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
