// `npm start`: the built server, rebuilt first when anything under src/ (or package.json, or the
// installed packages) changed since the last bundle, so that the source is always what runs and an
// unchanged tree starts as fast as `node dist/cli.js`. Plain JavaScript so that node runs it alone.
import { bundleIfStale } from './bundle.mjs';

try {
  await bundleIfStale();
} catch (error) {
  process.stderr.write(`provider-mock: could not bundle src/ (are the dev dependencies installed? npm ci): ${error}\n`);
  process.exit(1);
}
await import(new URL('../dist/cli.js', import.meta.url).href);
