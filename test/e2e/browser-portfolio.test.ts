/**
 * Issue 16, items 4 and 2 on the portfolio pages: procurement registers a vendor and edits it with errors shown next to
 * the fields, downloads the risk register from the vendor list (as filtered) and the dashboard, and sees what needs
 * attention and which reviews are overdue; an unrated vendor is not drawn in the critical colour. Headless Chromium
 * against the real server process; the portfolio it starts from is written first through the same local stack (an
 * assessment approved three years ago, so its review is overdue; one the workflow gave up on), in the same data folder.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { newAssessment } from '../../shared/domain/assessment.ts';
import { auditEvent } from '../../shared/domain/audit.ts';
import { launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { answerEverything, assessmentOf, portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { freePort, startServerProcess, type RunningServer } from '../support/processes.ts';
import { startTestStack, TestClock } from '../support/test-stack.ts';

let dataDir: string | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});


const today = () => new Date().toISOString().slice(0, 10);
const OVERDUE_VENDOR = 'Ledgerline Payroll';
const STUCK_VENDOR = 'Stuck Analytics';
const ATTENTION_REASON = 'The evidence analysis failed three times: the text extractor timed out';
const CSV_HEADER = 'vendorName,tier,criticality,status,rating,computedRating,overridden,score,openFindings,highestOpenSeverity,nextReviewDate,assessmentStatus,vendorId,assessmentId,fourthParties';

/**
 * The portfolio before the server starts, through the local stack on the data folder the server will open: a vendor
 * assessed 1,200 days ago (clock moved back) whose tier-4 review (36 months) has passed, and an assessment left in
 * needs-attention as the workflow leaves one it gave up on (written through the repository: no API makes a step fail).
 */
async function seedPortfolio(dataFolder: string): Promise<{ overdueVendorId: string; overdueReview: string; stuckAssessmentId: string }> {
  const clock = new TestClock();
  clock.advanceDays(-1200);
  const stack = await startTestStack({ persist: true, dataDir: dataFolder, clock });
  try {
    const dateAfter = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const overdueVendorId = await registerVendor(stack, { name: OVERDUE_VENDOR, criticality: 'low', dataClassification: 'public', contactEmail: 'security@ledgerline.example' });
    const assessmentId = await startAssessmentFor(stack, overdueVendorId, { dueDate: dateAfter(20) });
    const portal = await portalTokenFromOutbox(stack, 'security@ledgerline.example');
    await answerEverything(stack, portal);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    const decided = await assessmentOf(stack, assessmentId);
    expect(decided.assessment.status).toBe('approved');
    expect(decided.assessment.nextReviewDate! < today()).toBe(true);

    clock.advanceDays(1200);
    const stuckVendorId = await registerVendor(stack, { name: STUCK_VENDOR, contactEmail: 'security@stuck.example' });
    const vendor = (await (await stack.call('GET', `/api/vendors/${stuckVendorId}`, { token: await stack.tokenFor('admin') })).json()) as { name: string; contactEmail: string; inherentRisk: { tier: 1 | 2 | 3 | 4 } };
    const now = clock.now().toISOString();
    const stuckAssessmentId = 'seeded-needs-attention';
    const event = (action: string, targetVersion: number) => auditEvent({ id: `${action}-${stuckAssessmentId}`, at: now, actor: 'seed', role: 'system', action, target: { type: 'assessment', id: stuckAssessmentId }, summary: 'seeded', targetVersion });
    const started = newAssessment({ id: stuckAssessmentId, vendor: { id: stuckVendorId, name: vendor.name, contactEmail: vendor.contactEmail, tier: vendor.inherentRisk.tier }, templates: [], dueDate: dateAfter(30), requestedBy: 'procurement@example.com', now });
    await stack.deps.assessments.insertAssessment(started, { assessmentId: stuckAssessmentId, answers: {}, version: 1, updatedAt: null, lockedAt: null }, event('assessment.started', 1));
    await stack.deps.assessments.replaceAssessment({ ...started, status: 'needs-attention', attentionReason: ATTENTION_REASON, version: 2, updatedAt: now }, 1, event('assessment.needs-attention', 2));
    return { overdueVendorId, overdueReview: decided.assessment.nextReviewDate!, stuckAssessmentId };
  } finally {
    await stack.dispose();
  }
}

async function signInAs(page: Page, role: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in as ${role}` }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** Presses an export button and answers the file the browser saved: its suggested name and its CSV lines. */
async function download(page: Page, button: Locator): Promise<{ name: string; lines: string[] }> {
  const saved: Promise<Download> = page.waitForEvent('download');
  await button.click();
  const file = await saved;
  const text = await readFile(await file.path(), 'utf8');
  return { name: file.suggestedFilename(), lines: text.split('\r\n').filter((line) => line !== '') };
}

const csvNames = (lines: string[]) => lines.slice(1).map((line) => line.split(',')[0]);

/** The control's field error, its aria-invalid, and whether it has focus. */
async function fieldState(page: Page, selector: string): Promise<{ invalid: string | null; error: string; focused: boolean }> {
  return page.evaluate((sel) => {
    const control = document.querySelector(sel)!;
    const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
    return { invalid: control.getAttribute('aria-invalid'), error: ids.map((id) => document.getElementById(id)?.textContent ?? '').join(' '), focused: document.activeElement === control };
  }, selector);
}

describe('the portfolio pages in Chromium', () => {
  it('shows errors at their fields, exports the register, flags overdue reviews and what needs attention', { timeout: 300_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trustgate-portfolio-'));
    const seeded = await seedPortfolio(join(dataDir, 'data'));
    const port = await freePort();
    [browser, server] = await Promise.all([launchChromium(), startServerProcess({ TRUSTGATE_DATA_DIR: join(dataDir, 'data'), PORT: String(port), TRUSTGATE_PUBLIC_URL: `http://127.0.0.1:${port}` })]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // A sign-in that gets no answer says so under the button pressed, which keeps the focus.
    await page.goto('/sign-in');
    await page.route('**/auth/local/sign-in', (route) => route.abort());
    const admin = page.getByRole('button', { name: 'Sign in as admin' });
    await admin.click();
    await expect.poll(() => page.locator('#admin-error').textContent(), { timeout: 15_000 }).toContain('The server could not be reached');
    expect(await admin.getAttribute('aria-describedby')).toBe('admin-error');
    expect(await admin.evaluate((el) => el === document.activeElement)).toBe(true);
    await screenshotAtWidths(page, 'portfolio-00-sign-in-error');
    await page.unroute('**/auth/local/sign-in');
    await signInAs(page, 'procurement');

    // Intake with a bad email: the error in words under the field, aria-invalid, focus on it; then it goes through.
    await page.goto('/vendors/new');
    await page.getByLabel('Name', { exact: true }).fill('Northwind Ledger');
    await page.getByLabel('Website').fill('https://northwind.example');
    await page.getByLabel('Security contact email').fill('security-at-northwind');
    await page.getByLabel('Business criticality').selectOption('high');
    await page.getByLabel('Most sensitive data shared').selectOption('confidential');
    await page.getByRole('button', { name: 'Register vendor' }).click();
    await expect.poll(() => fieldState(page, '#f-contactEmail'), { timeout: 15_000 }).toEqual({ invalid: 'true', error: 'Must be an email address.', focused: true });
    expect(await page.locator('#f-website').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#form-errors').textContent()).not.toContain('contactEmail');
    await screenshotAtWidths(page, 'portfolio-01-intake-error-at-field');
    await page.getByLabel('Security contact email').fill('security@northwind.example');
    await page.getByRole('button', { name: 'Register vendor' }).click();
    await page.waitForURL(/\/vendors\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe('Northwind Ledger');

    // The edit form: a bad website is refused at its field; a good one is saved, the profile shows it, the message is in view.
    await page.getByText('Edit the vendor’s profile or status').click();
    const website = page.locator('#e-website');
    await expect.poll(() => website.inputValue(), { timeout: 15_000 }).toBe('https://northwind.example');
    await website.fill('northwind dot example');
    await page.getByRole('button', { name: 'Save the profile' }).click();
    await expect.poll(() => fieldState(page, '#e-website'), { timeout: 15_000 }).toMatchObject({ invalid: 'true', focused: true, error: expect.stringContaining('Must be a URL such as https://example.com.') });
    await screenshotAtWidths(page, 'portfolio-02-edit-error-at-field');
    await website.fill('https://northwind-ledger.example');
    await page.getByRole('button', { name: 'Save the profile' }).click();
    await expect.poll(() => page.locator('#edit-saved').textContent(), { timeout: 15_000 }).toBe('Saved: website.');
    expect(await page.locator('#e-website').getAttribute('aria-invalid')).toBeNull();
    expect(await page.locator('#edit-saved').isVisible()).toBe(true);
    expect(await page.locator('#profile-body').textContent()).toContain('https://northwind-ledger.example');

    // The start form: no questionnaire chosen is said at the questionnaires, not only in a list below the form.
    const boxes = page.locator('#template-choices input[type="checkbox"]');
    await expect.poll(() => boxes.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    for (const box of await boxes.all()) await box.uncheck();
    await page.getByRole('button', { name: 'Send the assessment' }).click();
    await expect.poll(() => fieldState(page, '#template-choices input[type="checkbox"]'), { timeout: 15_000 }).toEqual({ invalid: 'true', error: 'Choose at least one questionnaire.', focused: true });
    expect(await page.locator('#profile-body').textContent()).toContain('Unrated');
    expect(await page.locator('#profile-body .badge.rating-unrated').count()).toBe(1);
    await screenshotAtWidths(page, 'portfolio-03-vendor-page');

    // The vendor list: Unrated is neutral; the approved vendor is active with its review flagged overdue in words.
    await page.goto('/vendors');
    const row = (name: string) => page.locator('#vendor-list tr', { hasText: name });
    await expect.poll(() => row(OVERDUE_VENDOR).count(), { timeout: 15_000 }).toBe(1);
    const ledgerline = row(OVERDUE_VENDOR);
    expect(await ledgerline.locator('td[data-label="Status"]').textContent()).toBe('Active');
    expect(await ledgerline.locator('td[data-label="Next review"]').textContent()).toBe(`${seeded.overdueReview} Overdue`);
    const northwindRating = row('Northwind Ledger').locator('td[data-label="Rating"] .badge');
    expect(await northwindRating.textContent()).toBe('Unrated');
    expect(await northwindRating.getAttribute('class')).toBe('badge rating-unrated');
    expect(await row('Northwind Ledger').locator('td[data-label="Next review"]').textContent()).toBe('Not scheduled');

    const all = await download(page, page.getByRole('button', { name: 'Download the risk register (CSV, all vendors)' }));
    expect(all.name).toBe(`risk-register-${today()}.csv`);
    expect(all.lines[0]).toBe(CSV_HEADER);
    expect(csvNames(all.lines).sort()).toEqual(['Ledgerline Payroll', 'Northwind Ledger', 'Stuck Analytics']);
    const ledgerlineLine = all.lines.find((line) => line.startsWith(`${OVERDUE_VENDOR},`))!;
    expect(ledgerlineLine).toContain(`,4,low,active,low,low,false,`);
    expect(ledgerlineLine).toContain(`,${seeded.overdueReview},approved,${seeded.overdueVendorId},`);
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe(`Downloaded risk-register-${today()}.csv (3 vendors).`);

    // Filtered by tier: the button says what it exports and the file holds that tier only.
    await page.getByLabel('Tier').selectOption('4');
    await expect.poll(() => page.locator('#vendor-list tbody tr').count(), { timeout: 15_000 }).toBe(1);
    const tier4 = await download(page, page.getByRole('button', { name: 'Download the risk register (CSV, tier 4)' }));
    expect(tier4.name).toBe(`risk-register-tier-4-${today()}.csv`);
    expect(tier4.lines[0]).toBe(CSV_HEADER);
    expect(csvNames(tier4.lines)).toEqual([OVERDUE_VENDOR]);
    await page.getByLabel('Criticality').selectOption('low');
    await expect.poll(() => page.locator('#vendor-export').textContent(), { timeout: 15_000 }).toContain('the criticality filter does not apply to it');
    await screenshotAtWidths(page, 'portfolio-04-vendor-list');

    // The overdue vendor's page: active after its approval, the review flagged.
    await ledgerline.getByRole('link', { name: OVERDUE_VENDOR }).click();
    await expect.poll(() => page.locator('#vendor-status').textContent(), { timeout: 15_000 }).toBe('Active');
    expect(await page.locator('#profile-body').textContent()).toContain(`${seeded.overdueReview} Overdue`);
    expect(await page.locator('#profile-body .badge.rating-low').textContent()).toBe('Low');
    await screenshotAtWidths(page, 'portfolio-05-overdue-vendor');

    // The dashboard: what needs attention (with why, and a way there), the overdue review, Unrated drawn neutral.
    await page.goto('/dashboard');
    await expect.poll(() => page.locator('#attention-count').textContent(), { timeout: 15_000 }).toBe('1 assessment(s) need attention.');
    const stuck = page.locator('#attention-list tr', { hasText: STUCK_VENDOR });
    expect(await stuck.locator('td[data-label="Why"]').textContent()).toBe(`The workflow stopped: ${ATTENTION_REASON}.`);
    expect(await stuck.getByRole('link', { name: 'Open the assessment' }).getAttribute('href')).toBe(`/assessments/${seeded.stuckAssessmentId}`);
    await expect.poll(() => page.locator('#overdue-reviews').textContent(), { timeout: 15_000 }).toContain(OVERDUE_VENDOR);
    expect(await page.locator('#overdue-reviews tr', { hasText: OVERDUE_VENDOR }).locator('td[data-label="Next review"]').textContent()).toBe(`${seeded.overdueReview} Overdue`);
    await expect.poll(() => page.locator('#ratings').textContent(), { timeout: 15_000 }).toContain('1 review(s) overdue');
    const unrated = page.locator('#ratings li', { hasText: 'Unrated' });
    expect(await unrated.locator('.pts').textContent()).toBe('2');
    expect(await unrated.locator('.bar').getAttribute('class')).toBe('bar rating-unrated');
    expect(await page.locator('#ratings li', { hasText: 'Critical' }).locator('.bar').getAttribute('class')).toBe('bar rating-critical');
    const colours = await page.evaluate(() => {
      const bar = (label: string) => [...document.querySelectorAll('#ratings li')].find((li) => li.firstElementChild?.textContent === label)!.querySelector('.bar')!;
      return { unrated: getComputedStyle(bar('Unrated')).backgroundColor, critical: getComputedStyle(bar('Critical')).backgroundColor };
    });
    expect(colours.unrated).not.toBe(colours.critical);

    const everything = await download(page, page.getByRole('button', { name: 'Download the risk register (CSV, all vendors)' }));
    expect(everything.lines[0]).toBe(CSV_HEADER);
    expect(everything.lines).toHaveLength(4);
    const overdue = await download(page, page.getByRole('button', { name: 'Download the risk register (CSV, overdue reviews)' }));
    expect(overdue.name).toBe(`risk-register-overdue-reviews-${today()}.csv`);
    expect(overdue.lines[0]).toBe(CSV_HEADER);
    expect(csvNames(overdue.lines)).toEqual([OVERDUE_VENDOR]);
    await screenshotAtWidths(page, 'portfolio-06-dashboard');
    expect(errors).toEqual([]);
  });
});
