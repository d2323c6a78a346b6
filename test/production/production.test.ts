import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { providers } from '../../src/providers.js';
import { requestFromCurl } from './curl.js';
import {
  type RunningImage,
  killStarted,
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

  it('logs JSON lines, as NODE_ENV=production asks, beside the start-up banner', () => {
    const lines = image.output().split('\n');
    const listening = lines.find((line) => line.includes('Server listening at'));
    expect(JSON.parse(listening ?? 'null')).toMatchObject({ level: 30, msg: `Server listening at ${image.url}` });
    expect(lines).toContain(`provider-mock listening on ${image.url}`);
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
