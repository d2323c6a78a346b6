import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { providers } from '../../src/providers.js';
import { PACKAGE_ASSETS } from '../../scripts/bundle.mjs';
import { requestFromCurl } from './curl.js';
import {
  type RunningImage,
  filesIn,
  killStarted,
  root,
  layOutImage,
  runHealthcheck,
  startImage,
  waitForOutput,
  waitHealthy,
} from './image.js';

/** One demo credential per provider, as the server prints them at start-up (same default seed). */
const demos = await (async () => {
  const app = await buildApp();
  const found = providers.flatMap((provider) => {
    const [credential] = app.mock.storeOf(provider.slug).demoCredentials();
    return credential ? [{ provider: provider.title, example: credential.example }] : [];
  });
  await app.close();
  return found;
})();

function send(image: RunningImage, example: string, headers: Record<string, string> = {}) {
  const request = requestFromCurl(example.replaceAll('{base}', image.url));
  return fetch(request.url, { method: request.method, headers: { ...request.headers, ...headers } });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Long enough for a request to reach the server on a busy two-core machine. */
const IN_FLIGHT_MS = 700;

let dir = '';
let app = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'provider-mock-image-'));
  app = await layOutImage(dir);
}, 180_000);

afterAll(async () => {
  killStarted();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the production start path: npm run build, then the Dockerfile CMD with its ENV', () => {
  let image: RunningImage;

  // How fast it starts is measured by the benchmark (npm run bench), not here.
  beforeAll(async () => {
    image = await startImage(app);
    await waitHealthy(image);
  }, 30_000);

  it('passes the image HEALTHCHECK', async () => {
    expect(await runHealthcheck(image.port)).toBe(0);
  });

  it('logs JSON lines, as NODE_ENV=production asks, the start-up banner among them', () => {
    const lines = image.stdout().trimEnd().split('\n');
    const listening = lines.find((line) => line.includes('Server listening at'));
    expect(JSON.parse(listening ?? 'null')).toMatchObject({ level: 30, msg: `Server listening at ${image.url}` });
    for (const line of lines) expect(JSON.parse(line), line).toBeTypeOf('object');
    const banner = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((entry) => 'providers' in entry);
    expect(banner).toMatchObject({ level: 30, msg: `provider-mock listening on ${image.url}`, url: image.url, docs: `${image.url}/docs` });
    const credentials = (banner?.providers as { title: string; credentials: { example: string }[] }[]).map((provider) => ({
      provider: provider.title,
      example: provider.credentials[0]?.example,
    }));
    expect(credentials).toEqual(demos.map((demo) => ({ ...demo, example: demo.example.replaceAll('{base}', image.url) })));
  });

  it('has a demo credential to try', () => {
    expect(demos.length).toBeGreaterThan(0);
  });

  it.each(demos)('serves $provider with its demo credential: $example', async ({ example }) => {
    const response = await send(image, example);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await response.json();
  });

  it('on SIGTERM fails its health check, finishes the slow request in flight, then exits 0', async () => {
    const { example } = demos[0]!;
    const normal = await send(image, example);
    const normalBody: unknown = await normal.json();
    const slow = send(image, example, { prefer: 'delay=2000' });
    await pause(IN_FLIGHT_MS);
    const signalledAt = Date.now();
    image.child.kill('SIGTERM');
    expect(await runHealthcheck(image.port)).toBe(1);
    const response = await slow;
    expect(response.status).toBe(normal.status);
    expect(await response.json()).toEqual(normalBody);
    const answeredAt = Date.now();
    expect(answeredAt - signalledAt).toBeGreaterThanOrEqual(2000 - IN_FLIGHT_MS - 100);
    const exit = await image.exited;
    expect(exit, image.output()).toMatchObject({ code: 0, signal: null });
    expect(exit.at - answeredAt).toBeLessThan(5_000);
  });
});

describe('a second signal during shutdown', () => {
  it('exits at once with 128 + the signal number, leaving the slow request unanswered', async () => {
    const image = await startImage(app);
    await waitHealthy(image);
    const slow = send(image, demos[0]!.example, { prefer: 'delay=10000' }).then(
      (response) => response.status,
      (error: Error) => error,
    );
    await pause(IN_FLIGHT_MS);
    image.child.kill('SIGTERM');
    await waitForOutput(image, 'SIGTERM received');
    const secondAt = Date.now();
    image.child.kill('SIGINT');
    const exit = await image.exited;
    expect(exit, image.output()).toMatchObject({ code: 130, signal: null });
    expect(exit.at - secondAt).toBeLessThan(2_000);
    expect(await slow).toBeInstanceOf(Error);
  }, 30_000);
});

describe('LOG_FORMAT=json without NODE_ENV=production', () => {
  it('writes nothing but JSON lines on standard output, from start-up through requests to shutdown', async () => {
    const image = await startImage(app, { NODE_ENV: 'development', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
    await waitHealthy(image);
    await send(image, demos[0]!.example);
    await fetch(`${image.url}/nowhere`);
    image.child.kill('SIGTERM');
    expect(await image.exited).toMatchObject({ code: 0 });
    const lines = image.stdout().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(JSON.parse(line), line).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
    expect(lines.some((line) => line.includes('"providers"'))).toBe(true);
  }, 30_000);
});

describe("the runtime stage's files", () => {
  const assets = Object.entries(PACKAGE_ASSETS).flatMap(([name, files]) => files.map((file) => `dist/assets/${name}/${file}`));

  it('are the bundle, the docs page assets, fixtures/, openapi/, LICENSE and package.json, and no node_modules', async () => {
    const expected = [
      'dist/cli.js',
      'dist/server.cjs',
      ...assets,
      ...(await filesIn(join(root, 'fixtures'))).map((file) => `fixtures/${file}`),
      ...(await filesIn(join(root, 'openapi'))).map((file) => `openapi/${file}`),
      'LICENSE',
      'package.json',
    ].sort();
    expect(await filesIn(app)).toEqual(expected);
    // nor any above the folder, where Node would look next
    expect(() => createRequire(join(app, 'dist/cli.js')).resolve('fastify')).toThrow(/Cannot find module/);
  });

  it('serve the docs page with every file it links, and those are all the assets', async () => {
    const image = await startImage(app);
    await waitHealthy(image);
    const fetched = new Set<string>();
    const linked = async (base: string, text: string) => {
      for (const [, link] of text.matchAll(/(?:src|href)="([^"]+)"/g)) {
        const url = new URL(link!, base);
        const response = await fetch(url);
        expect(response.status, url.href).toBe(200);
        const body = await response.text();
        const file = /\/docs\/static\/(.+)$/.exec(url.pathname)?.[1];
        if (file && !file.startsWith('theme/') && file !== 'swagger-initializer.js') fetched.add(`static/${file}`);
        if (file?.endsWith('.html')) await linked(url.href, body);
      }
    };
    const page = await fetch(`${image.url}/docs`);
    expect(page.status).toBe(200);
    await linked(`${image.url}/docs`, await page.text());
    // the page's script sends the OAuth2 redirect there
    const initializer = await (await fetch(`${image.url}/docs/static/swagger-initializer.js`)).text();
    const redirect = /resolveUrl\('\.\/(static\/oauth2-redirect\.html)'\)/.exec(initializer)?.[1];
    expect(redirect).toBeDefined();
    await linked(`${image.url}/docs/`, `src="./${redirect}"`);
    // the logo is read once at start-up and inlined in that script
    const logo = await readFile(join(app, 'dist/assets/@fastify/swagger-ui/static/logo.svg'));
    expect(initializer).toContain(logo.toString('base64'));
    fetched.add('static/logo.svg');
    expect([...fetched].map((file) => `dist/assets/@fastify/swagger-ui/${file}`).sort()).toEqual([...assets].sort());
  }, 30_000);
});
