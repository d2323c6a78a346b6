import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
const required = process.env.REQUIRE_BROWSER === '1';

/**
 * Whether a browser test is skipped: only when Chromium is absent and not required (REQUIRE_BROWSER=1,
 * set by .ci/run, which installs it, turns its absence into a failure). Says so when it is.
 */
export function skippedWithoutChromium(what: string): boolean {
  const skipped = !present && !required;
  if (skipped) {
    console.warn(`${what} skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it and sets REQUIRE_BROWSER=1)`);
  }
  return skipped;
}

/** Headless Chromium with a profile of its own, which `close()` removes. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!present) throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
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
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
