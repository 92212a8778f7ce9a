/**
 * The fourth-party pages in headless Chromium against the real app (issue 18, item 4): the list shows the provider our
 * tier-1 vendors share with its concentration finding; the provider page lists the vendors that go down with it, with
 * region and the report page that names it. Screenshots at 1280 and 390 px, axe-core with no violation.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { AWS_US_EAST, assessedVendor, NORTHWIND, reportNaming, TIER_1 } from '../support/fourth-parties.ts';
import { serveOverNode, type ServedApp } from '../support/node-adapter.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let served: ServedApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  stack = await startTestStack();
  const onAws = await reportNaming('browser-fourth-aws', [AWS_US_EAST]);
  for (const name of ['Atlas Payroll', 'Beacon Health', 'Cobalt Claims']) await assessedVendor(stack, name, TIER_1, onAws);
  await assessedVendor(stack, 'Dune Ledger', TIER_1, await reportNaming('browser-fourth-northwind', [NORTHWIND]));
  [served, browser] = await Promise.all([serveOverNode(stack.http.app.fetch), launchChromium()]);
  page = await (await browser.newContext({ baseURL: served.url })).newPage();
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in as security' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await stack?.dispose();
});

describe('fourth-party pages', () => {
  it('lists the providers with their share of tier-1 vendors and the concentration finding', { timeout: 60_000 }, async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Fourth parties' }).click();
    await page.waitForURL('**/fourth-parties');
    const aws = page.getByRole('row').filter({ hasText: 'Amazon Web Services' });
    await expect.poll(() => aws.textContent()).toContain('3 of our 4 tier-1 vendors (75 %) depend on Amazon Web Services');
    expect(await aws.textContent()).toContain('Tier 1: 3');
    expect(await page.getByRole('row').filter({ hasText: 'Northwind Data Centers LLC' }).textContent()).toContain('Within policy');
    await expect.poll(() => page.locator('#fp-policy').textContent()).toContain('more than 40 % of our 4 tier-1 vendors');
    await screenshotAtWidths(page, 'fourth-parties');
  });

  it('shows which vendors go down with a provider, with region and the report page, and the finding’s evidence', { timeout: 60_000 }, async () => {
    await page.getByRole('link', { name: 'Amazon Web Services' }).click();
    await page.waitForURL('**/fourth-parties/amazon-web-services');
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Amazon Web Services');
    const rows = page.locator('#fp-vendors tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const first = await rows.first().textContent();
    expect(first).toContain('Atlas Payroll');
    expect(first).toContain('us-east-1');
    expect(first).toMatch(/soc2-report\.pdf, page \d+/);
    expect(await page.locator('#fp-finding').textContent()).toContain('Concentration finding');
    expect(await page.locator('#fp-finding li').count()).toBe(3);
    await screenshotAtWidths(page, 'fourth-party-provider');
  });
});
