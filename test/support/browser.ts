/**
 * Headless Chromium for the browser tests, driven by playwright-core: the Debian package where it is installed (as
 * .ci/run does), otherwise the headless Chromium that ships inside the @sparticuz/chromium npm package (unpacked from
 * the package into the temp folder, nothing downloaded), so `npm install && npm test` needs no system package.
 * TRUSTGATE_TEST_CHROMIUM=bundled forces the packaged one.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ROOT } from './processes.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test/artifacts/browser');
export const WIDTHS = [1280, 390] as const;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const LAMBDA_ONLY_FLAGS = ['--single-process', '--disable-web-security', '--allow-running-insecure-content'];

/** Which Chromium the tests use: the system one when present, else the one packaged in @sparticuz/chromium. */
export async function chromiumExecutable(): Promise<{ executablePath: string; args: string[]; source: 'system' | 'bundled' }> {
  if (existsSync(CHROMIUM) && process.env.TRUSTGATE_TEST_CHROMIUM !== 'bundled') return { executablePath: CHROMIUM, args: FLAGS, source: 'system' };
  const { default: bundled } = await import('@sparticuz/chromium');
  const executablePath = await bundled.executablePath();
  // Its Lambda flags, less those that change what the tests check: one process (closing a context then takes the
  // whole browser down) and the switched-off same-origin policy and mixed-content blocking.
  const args = bundled.args.filter((flag) => !LAMBDA_ONLY_FLAGS.includes(flag));
  return { executablePath, args: [...new Set([...args, ...FLAGS])], source: 'bundled' };
}

/** Launches Chromium (a missing browser fails the test, it never passes as a skip). */
export async function launchChromium(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  const { executablePath, args } = await chromiumExecutable();
  return chromium.launch({ executablePath, args });
}

let axeSource: Promise<string> | undefined;

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is and fails with each violation in words. The script
 * goes in through the DevTools protocol (page.evaluate), so the pages' CSP, which forbids inline script, stays on.
 */
export async function expectNoAxeViolations(page: Page, name: string): Promise<void> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const source = await axeSource;
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
  expect(violations, `axe-core on ${name}`).toEqual([]);
}

/**
 * Screenshots the page at each width into test/artifacts/browser/<name>-<width>.png, checks that nothing
 * scrolls sideways and that axe-core finds no WCAG A/AA violation (at the widest); leaves the page at the first width.
 */
export async function screenshotAtWidths(page: Page, name: string): Promise<void> {
  for (const width of [...WIDTHS].reverse()) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(50);
    const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
    expect(overflow.scroll, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(overflow.inner);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    if (width === WIDTHS[0]) await expectNoAxeViolations(page, `${name} at ${width}px`);
  }
}
