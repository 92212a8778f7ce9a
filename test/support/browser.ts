/** Headless Chromium for the browser tests: the Debian package CI installs, driven by playwright-core. */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from './processes.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test/artifacts/browser');
export const WIDTHS = [1280, 390] as const;

/** Launches Chromium, or fails saying how to install it (a missing browser must not pass as a skip). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install the Debian package (apt-get install -y chromium), as .ci/run does`);
  await mkdir(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Screenshots the page at each width into test/artifacts/browser/<name>-<width>.png and checks that nothing
 * scrolls sideways; leaves the page at the first width.
 */
export async function screenshotAtWidths(page: Page, name: string): Promise<void> {
  for (const width of [...WIDTHS].reverse()) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(50);
    const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(overflow.scroll, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(overflow.inner);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
  }
}
