/** The browser tests run without a system Chromium: the one packaged in @sparticuz/chromium launches and renders. */
import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { chromiumExecutable } from '../support/browser.ts';

describe('the Chromium packaged in npm (used where /usr/bin/chromium is missing)', () => {
  const saved = process.env.TRUSTGATE_TEST_CHROMIUM;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUSTGATE_TEST_CHROMIUM;
    else process.env.TRUSTGATE_TEST_CHROMIUM = saved;
  });

  it('unpacks from the package, launches headless and runs a page script', async () => {
    process.env.TRUSTGATE_TEST_CHROMIUM = 'bundled';
    const { executablePath, args, source } = await chromiumExecutable();
    expect(source).toBe('bundled');
    expect(executablePath).not.toBe('/usr/bin/chromium');
    const browser = await chromium.launch({ executablePath, args });
    try {
      const page = await browser.newPage();
      await page.setContent('<title>t</title><p id="p"></p><script>document.getElementById("p").textContent = String(6 * 7)</script>');
      expect(await page.locator('#p').textContent()).toBe('42');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
