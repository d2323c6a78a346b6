import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { makeApp } from '../helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
const required = process.env.REQUIRE_BROWSER === '1';
const skipped = !present && !required;
const title = 'a person sends Datafiniti GET /v3/users from /docs and sees the documented answer';
if (skipped) {
  console.warn(`docs browser test skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it and sets REQUIRE_BROWSER=1)`);
}

const documented = (name: string) => readExamples('datafiniti').find((example) => example.name === name)!.example.response;

describe('the docs page in headless Chromium', () => {
  it.skipIf(skipped)(title, { timeout: 90_000 }, async () => {
    if (!present) throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
    const app = await makeApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const profile = mkdtempSync(join(tmpdir(), 'provider-mock-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://127.0.0.1:${port}/docs`);
      const picker = page.locator('#demo-credentials select[name="datafinitiBasic"]');
      await expect.poll(() => picker.locator('option:checked').innerText(), { timeout: 30_000 }).toContain('AAAXXXXXXXXXXXX');

      const operation = page.locator('.opblock').filter({ has: page.locator('[data-path="/v3/users"]') });
      await operation.locator('.opblock-summary').click();
      const answer = async () => {
        await operation.locator('button.execute').click();
        const live = operation.locator('.live-responses-table .response').first();
        const status = Number(await live.locator('.response-col_status').innerText());
        const body = JSON.parse(await live.locator('.response-col_description pre.microlight').first().innerText());
        return { status, body };
      };
      expect(await answer()).toEqual(documented('get-users'));

      await picker.selectOption({ label: 'none: send no credential' });
      await operation.locator('.btn-clear').click();
      expect(await answer()).toEqual(documented('unauthorized'));
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
