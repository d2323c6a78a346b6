import { describe, expect, it } from 'vitest';
import { readExamples } from '../../src/data/examples.js';
import { launchChromium, skippedWithoutChromium } from '../chromium.js';
import { makeApp } from '../helpers.js';

const title = 'a person sends Datafiniti GET /v3/users from /docs and sees the documented answer';
const skipped = skippedWithoutChromium('docs browser test');

const documented = (name: string) => readExamples('datafiniti').find((example) => example.name === name)!.example.response;

describe('the docs page in headless Chromium', () => {
  it.skipIf(skipped)(title, { timeout: 90_000 }, async () => {
    const app = await makeApp();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const { context, close } = await launchChromium();
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
      await close();
    }
  });
});
