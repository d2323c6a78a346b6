import { type Server, createServer } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Example, readExamples } from '../../src/data/examples.js';
import { providers } from '../../src/providers.js';
import { launchChromium, skippedWithoutChromium } from '../chromium.js';
import { makeApp } from '../helpers.js';

const skipped = skippedWithoutChromium('CORS browser test');

/** Headers a page may not set itself (the browser sends its own). */
const FORBIDDEN = new Set(['host', 'content-length', 'connection']);

/**
 * Every documented exchange of every provider that a page can send: a GET with no body (a browser
 * sends none on a GET, so Datonis's JSON-body examples are left to the other tests).
 */
const exchanges = providers.flatMap((provider) =>
  readExamples(provider.slug)
    .filter(({ example }) => example.request.method === 'GET' && example.request.body === undefined)
    .map(({ file, example }) => ({ slug: provider.slug, file, example })),
);

/** What the page saw of one call: the status and body, or the error fetch threw. */
type Seen = { status: number; body: unknown; rateLimit: string | null } | { refused: string };

let pageServer: Server | undefined;
let pageOrigin: string;
let browser: { context: BrowserContext; close(): Promise<void> } | undefined;
let page: Page;

/** The page's own origin: another loopback port than the mock's. */
beforeAll(async () => {
  if (skipped) return;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!doctype html><title>a front-end on another origin</title>');
  });
  pageServer = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await launchChromium();
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  await page.goto(`${pageOrigin}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
});

/** One documented request, sent by the page's own script with fetch. */
async function sendFromPage(mockUrl: string, example: Example): Promise<Seen> {
  const headers = Object.fromEntries(Object.entries(example.request.headers ?? {}).filter(([name]) => !FORBIDDEN.has(name.toLowerCase())));
  return page.evaluate(
    async ({ url, headers }) => {
      try {
        const response = await fetch(url, { headers });
        return { status: response.status, body: await response.json(), rateLimit: response.headers.get('x-ratelimit-remaining') };
      } catch (error) {
        return { refused: String(error) };
      }
    },
    { url: `${mockUrl}${example.request.url}`, headers },
  );
}

/** Each documented exchange as the page sees it, on a mock started with this `cors` setting. */
async function fromThePage(cors: string | undefined): Promise<[string, Seen][]> {
  const app = await makeApp({ cors });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const mockUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const seen: [string, Seen][] = [];
  for (const { file, example } of exchanges) {
    app.mock.reset();
    seen.push([file, await sendFromPage(mockUrl, example)]);
  }
  return seen;
}

describe('a front-end on another origin, in headless Chromium', () => {
  it('has a documented exchange for every provider to send', () => {
    expect(new Set(exchanges.map(({ slug }) => slug))).toEqual(new Set(providers.map((provider) => provider.slug)));
  });

  it.skipIf(skipped).each([
    ['*', () => '*'],
    ['the page’s origin in a list', () => `http://localhost:1, ${pageOrigin}`],
  ])('with --cors %s, calls every provider and reads the documented answers', { timeout: 60_000 }, async (_name, setting) => {
    const seen = await fromThePage(setting());
    expect(seen).toEqual(
      exchanges.map(({ file, slug, example }) => [
        file,
        {
          status: example.response.status,
          body: example.response.body,
          // an exposed header: Fingerbank's rate limit, on every answer after its check
          rateLimit: slug === 'fingerbank' && example.response.status === 200 ? '249' : null,
        },
      ]),
    );
  });

  it.skipIf(skipped).each([
    ['off (the default)', () => undefined],
    ['set to other origins', () => 'http://localhost:1,http://127.0.0.1:2'],
  ])('with CORS %s, every call is refused by the browser', { timeout: 60_000 }, async (_name, setting) => {
    const seen = await fromThePage(setting());
    expect(seen).toEqual(exchanges.map(({ file }) => [file, { refused: expect.stringContaining('Failed to fetch') }]));
  });
});
