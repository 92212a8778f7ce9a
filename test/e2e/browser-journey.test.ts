/**
 * The web interface's "done when": procurement registers a vendor and starts an assessment, the vendor opens the
 * link from the outbox, answers, uploads a SOC 2 report and submits, and security reviews and approves, all in
 * headless Chromium against the real local server. Every main page is screenshotted at 1280 and 390 px.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { safestAnswers } from '../support/answers.ts';
import { launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { encryptedPdf, textPdf } from '../fixtures/unreadable-pdfs.ts';
import { corpusPdf, isCleanType2 } from '../support/journey.ts';
import { freePort, startServerProcess, type RunningServer } from '../support/processes.ts';

let dataDir: string;
let server: RunningServer | undefined;
let browser: Browser | undefined;
let pdfPath: string;


beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'trustgate-browser-'));
  pdfPath = join(dataDir, 'acme-soc2-type2.pdf');
});

/** Starts the server and the browser inside the test, so a missing Chromium fails the test rather than skipping it. */
async function startEverything(): Promise<void> {
  const port = await freePort();
  // allSettled: whatever did start is stopped by afterAll even when another part fails.
  const [launched, started, pdf] = await Promise.allSettled([
    launchChromium(),
    startServerProcess({ TRUSTGATE_DATA_DIR: join(dataDir, 'data'), PORT: String(port), TRUSTGATE_PUBLIC_URL: `http://127.0.0.1:${port}` }),
    corpusPdf(isCleanType2),
  ]);
  if (launched.status === 'fulfilled') browser = launched.value;
  if (started.status === 'fulfilled') server = started.value;
  for (const result of [launched, started, pdf]) if (result.status === 'rejected') throw result.reason;
  await writeFile(pdfPath, (pdf as PromiseFulfilledResult<Buffer>).value);
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function newPage(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server!.url });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

async function signInAs(page: Page, role: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in as ${role}` }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

describe('the web interface in Chromium', () => {
  it('takes procurement, the vendor and security through one assessment', { timeout: 240_000 }, async () => {
    await startEverything();
    const vendorName = 'Acme Payroll Cloud';
    const contactEmail = 'security@acme-payroll.example';

    // Procurement: register, start an assessment.
    const staff = await newPage();
    const page = staff.page;
    await page.goto('/sign-in');
    await expect.poll(() => page.getByRole('button', { name: 'Sign in as procurement' }).isVisible()).toBe(true);
    await screenshotAtWidths(page, '01-sign-in');
    await signInAs(page, 'procurement');
    expect(new URL(page.url()).pathname).toBe('/vendors');

    await page.getByRole('link', { name: 'Register a vendor' }).click();
    await page.getByLabel('Name', { exact: true }).fill(vendorName);
    await page.getByLabel('Website').fill('https://acme-payroll.example');
    await page.getByLabel('Security contact email').fill(contactEmail);
    await page.getByLabel('What we buy (optional)').fill('Payroll processing SaaS');
    await page.getByLabel('Business criticality').selectOption('low');
    await page.getByLabel('Most sensitive data shared').selectOption('internal');
    await screenshotAtWidths(page, '02-vendor-intake');
    await page.getByRole('button', { name: 'Register vendor' }).click();
    await page.waitForURL(/\/vendors\/[A-Za-z0-9_-]+$/);
    await expect.poll(() => page.locator('h1').textContent(), { timeout: 15_000 }).toBe(vendorName);

    const saasLite = page.getByRole('checkbox', { name: /SaaS/i });
    await expect.poll(() => saasLite.isChecked(), { timeout: 10_000 }).toBe(true);
    await screenshotAtWidths(page, '03-vendor-page');
    await page.getByRole('button', { name: 'Send the assessment' }).click();
    await page.waitForURL(/\/assessments\/[A-Za-z0-9_-]+$/);
    const assessmentPath = new URL(page.url()).pathname;
    // The summary fills after the page's API call: wait for it after each reload, not just for the load event.
    await expect.poll(async () => (await page.reload(), await page.locator('#summary dl').waitFor(), await page.locator('#summary').textContent()), { timeout: 30_000, interval: 500 }).toContain('Awaiting vendor');
    await page.getByRole('button', { name: 'Resend invite' }).click();
    await expect.poll(() => page.locator('#status').textContent()).toContain(`A new link was sent to ${contactEmail}`);
    await screenshotAtWidths(page, '04-assessment-procurement');

    await page.goto('/vendors');
    await expect.poll(() => page.locator('#vendor-list').textContent()).toContain(vendorName);
    await screenshotAtWidths(page, '05-vendor-list');

    await page.goto('/outbox');
    // Newest first: the resent link (the first one no longer works).
    const portalLink = page.locator('#outbox a[href*="/portal/open#token=tgp_"]').first();
    await expect.poll(() => portalLink.count()).toBe(1);
    expect(await page.locator('#outbox a[href*="/portal/open#token=tgp_"]').count(), 'the invitation and the resent invitation').toBe(2);
    await screenshotAtWidths(page, '06-outbox');
    const href = (await portalLink.getAttribute('href'))!;
    expect(href).toContain(server!.url);

    // The vendor: confirm page, questionnaire, upload, submit.
    const vendor = await newPage();
    const portal = vendor.page;
    await portal.goto(href);
    const open = portal.getByRole('button', { name: 'Open the assessment' });
    await expect.poll(() => open.isVisible()).toBe(true);
    await screenshotAtWidths(portal, '07-portal-confirm');
    await open.click();
    await portal.waitForURL((url) => url.pathname === '/portal');
    expect(portal.url()).not.toContain('token');
    await expect.poll(() => portal.locator('h1').textContent()).toContain(vendorName);

    await portal.locator('#f-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a report') });
    await expect.poll(() => portal.locator('#upload-errors').textContent()).toBe('notes.txt is not a PDF.');
    await portal.getByLabel('Kind of document').selectOption('soc2-report');
    // The file goes to the document store's signed form, never to the API (ADR 13): announce, post, complete.
    const posts: string[] = [];
    const recordPost = (request: { method(): string; url(): string }) => void (request.method() === 'POST' && posts.push(new URL(request.url()).pathname));
    portal.on('request', recordPost);
    await portal.locator('#f-file').setInputFiles(pdfPath);
    await expect.poll(() => portal.locator('#documents').textContent(), { timeout: 15_000 }).toContain('acme-soc2-type2.pdf');
    portal.off('request', recordPost);
    expect(posts).toEqual(['/api/portal/uploads', '/api/local-uploads', '/api/portal/documents']);
    // A password-protected PDF is refused at once, in words; a wrong file is deleted with its button.
    await portal.locator('#f-file').setInputFiles({ name: 'locked.pdf', mimeType: 'application/pdf', buffer: await encryptedPdf() });
    await expect.poll(() => portal.locator('#upload-errors').textContent(), { timeout: 15_000 }).toContain('protected with a password');
    await portal.getByLabel('Kind of document').selectOption('other');
    await portal.locator('#f-file').setInputFiles({ name: 'wrong-file.pdf', mimeType: 'application/pdf', buffer: await textPdf() });
    await expect.poll(() => portal.locator('#documents').textContent(), { timeout: 15_000 }).toContain('wrong-file.pdf');
    portal.once('dialog', (dialog) => void dialog.accept());
    await portal.getByRole('button', { name: 'Delete wrong-file.pdf' }).click();
    await expect.poll(() => portal.locator('#documents').textContent()).not.toContain('wrong-file.pdf');
    expect(await portal.locator('#documents li').count()).toBe(1);

    await portal.getByRole('button', { name: 'Review and submit' }).click();
    await expect.poll(() => portal.locator('#missing').textContent()).toContain('24 required question(s) still need an answer');
    expect(await portal.getByRole('button', { name: 'Submit now' }).isVisible()).toBe(false);
    // Each missing answer is said under its question (aria-invalid, described by the sentence); focus on the first.
    const firstMissing = portal.locator('.question.missing').first();
    expect(await firstMissing.locator('.field-error').textContent()).toBe('This question needs an answer before you submit.');
    expect(await portal.evaluate(() => document.activeElement?.closest('.question')?.id)).toBe(await firstMissing.getAttribute('id'));
    expect(await portal.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    expect(await portal.locator('.qsection .section-status.tone-error').count()).toBeGreaterThan(0);
    await screenshotAtWidths(portal, '08a-portal-missing-answers');

    // The CSV template: every question id with the answers so far (none yet), to fill in and import.
    const download = portal.waitForEvent('download');
    await portal.getByRole('button', { name: 'Download the template with your answers (CSV)' }).click();
    const csv = await readFile((await (await download).path()), 'utf8');
    expect((await download).suggestedFilename()).toBe('saas-lite-answers.csv');
    expect(csv.split('\r\n')[0]).toBe('\ufeffquestionId,answer,comment,compensatingControl,remediationDate,section,question');
    expect(csv).toContain('\r\nlite-written-policies,,');

    await portal.locator('#f-csv').setInputFiles({ name: 'answers.csv', mimeType: 'text/csv', buffer: Buffer.from('questionId,answer\nlite-security-contact,yes\nlite-written-policies,yes\n') });
    await expect.poll(() => portal.locator('#status').textContent(), { timeout: 15_000 }).toBe('Imported 2 answer(s).');
    await expect.poll(() => portal.locator('[data-question="lite-written-policies"] input[value="yes"]').isChecked()).toBe(true);

    const answers = safestAnswers(getTemplate('saas-lite')!);
    answers['lite-staff-mfa'] = { value: 'no' };
    const conditional = portal.locator('[data-question="lite-assurance-document"]');
    expect(await conditional.isHidden()).toBe(true);
    for (const [questionId, entry] of Object.entries(answers)) {
      const block = portal.locator(`[data-template="saas-lite"][data-question="${questionId}"]`);
      await expect.poll(() => block.isVisible(), { message: `question ${questionId} shows` }).toBe(true);
      const type = await block.getAttribute('data-type');
      const values = Array.isArray(entry.value) ? entry.value : [entry.value];
      if (type === 'yes-no' || type === 'single-choice' || type === 'multiple-choice') {
        for (const value of values) await block.locator(`input[value="${value}"]`).check();
      } else if (type === 'file') {
        await block.locator('select').selectOption({ index: 1 });
      } else {
        await block.locator('input, textarea').first().fill(String(entry.value));
      }
    }
    const mfa = portal.locator('[data-question="lite-staff-mfa"]');
    await expect.poll(() => mfa.locator('.tip').isVisible()).toBe(true);
    await mfa.getByLabel('Compensating control (optional)').fill('Hardware-key sign-in for all administrators; MFA roll-out for other staff under way.');
    await mfa.getByLabel('We will fix this by (optional)').fill('2027-03-31');
    await expect.poll(() => portal.locator('#save-state').textContent(), { timeout: 15_000 }).toBe('All changes saved');
    await expect.poll(() => portal.locator('#progress').getAttribute('value')).toBe('100');
    await screenshotAtWidths(portal, '08-portal-questionnaire');

    await portal.getByRole('button', { name: 'Review and submit' }).click();
    const submit = portal.getByRole('button', { name: 'Submit now' });
    await expect.poll(() => submit.isVisible()).toBe(true);
    await submit.click();
    await expect.poll(() => portal.locator('#locked-note').isVisible(), { timeout: 15_000 }).toBe(true);
    // Read-only: the chosen answers as text, no greyed-out controls; the confirmation where the vendor is, focused.
    expect(await portal.locator('#questionnaire input, #questionnaire textarea, #questionnaire select').count()).toBe(0);
    expect(await portal.locator('[data-question="lite-staff-mfa"] .answer').textContent()).toBe('Your answer: No');
    expect(await portal.locator('[data-question="lite-staff-mfa"]').textContent()).toContain('Compensating control: Hardware-key sign-in');
    expect(await portal.evaluate(() => document.activeElement?.id)).toBe('submit-done');
    expect(await portal.locator('#submit-done').isVisible()).toBe(true);
    await screenshotAtWidths(portal, '09-portal-submitted');
    expect(vendor.errors).toEqual([]);

    // Security, signing in with the keyboard: the queue, the evidence, a finding, the decision.
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in as security' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/sign-in');
    expect(new URL(page.url()).pathname).toBe('/review');
    const queued = page.locator('#queue').getByRole('link', { name: vendorName });
    await expect.poll(async () => (await page.reload(), await page.locator('#queue > *').first().waitFor(), await queued.count()), { timeout: 60_000, interval: 1000 }).toBe(1);
    await screenshotAtWidths(page, '10-review-queue');
    await queued.click();
    await page.waitForURL((url) => url.pathname === assessmentPath);
    await expect.poll(() => page.locator('#score').textContent(), { timeout: 10_000 }).toContain('Residual risk');
    expect(await page.locator('#score .chart li').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#analysis').textContent()).toMatch(/page \d+/);
    const finding = page.locator('#findings tr', { hasText: /multi-factor|MFA/i }).first();
    await expect.poll(() => finding.count()).toBe(1);
    await screenshotAtWidths(page, '11-assessment-review');

    // Security corrects an extracted fact: the score is computed again and the extracted value stays in view; then reverts.
    const scoreBefore = await page.locator('#score .score-line strong').textContent();
    const opinion = page.locator('[data-field="opinion"]').first();
    await opinion.locator('summary', { hasText: 'Correct' }).click();
    await opinion.getByLabel('New value').selectOption('qualified');
    await opinion.getByLabel('Why (what the report says, and where)').fill('The opinion section has a Basis for Qualified Opinion paragraph.');
    await opinion.getByRole('button', { name: 'Save correction' }).click();
    await expect.poll(() => page.locator('[data-field="opinion"]').first().textContent(), { timeout: 10_000 }).toContain('Extracted: Unqualified. Corrected by security@trustgate.local');
    await expect.poll(() => page.locator('#score .score-line strong').textContent()).not.toBe(scoreBefore);
    await expect.poll(() => page.locator('#findings').textContent()).toContain('Qualified opinion');
    await screenshotAtWidths(page, '11b-assessment-corrected');
    const corrected = page.locator('[data-field="opinion"]').first();
    await corrected.locator('summary', { hasText: 'Revert' }).click();
    await corrected.getByLabel('Why revert').fill('Checked again with the auditor: unqualified.');
    await corrected.getByRole('button', { name: 'Revert to the extracted value' }).click();
    await expect.poll(() => page.locator('#score .score-line strong').textContent(), { timeout: 10_000 }).toBe(scoreBefore);
    // The facts panel re-renders after the score: wait for it rather than read it once.
    await expect.poll(() => page.locator('[data-field="opinion"] .badge.corrected').count(), { timeout: 10_000 }).toBe(0);

    await finding.locator('summary', { hasText: 'Accept risk' }).click();
    await finding.getByLabel('Justification').fill('Administrators already use hardware keys; the vendor commits to staff MFA by March.');
    await finding.getByLabel('Acceptance expires on').fill('2027-04-30');
    await finding.getByRole('button', { name: 'Accept risk' }).click();
    await expect.poll(() => page.locator('#findings').textContent(), { timeout: 10_000 }).toContain('Risk accepted');

    await page.getByLabel('Comment').fill('SOC 2 Type II clean; MFA gap accepted until April.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => page.locator('#summary').textContent(), { timeout: 10_000 }).toContain('Approved');
    await screenshotAtWidths(page, '12-assessment-decided');

    await page.goto('/dashboard');
    await expect.poll(() => page.locator('#ratings li').count()).toBe(5);
    await expect.poll(() => page.locator('#concentration').textContent()).not.toBe('');
    await screenshotAtWidths(page, '13-dashboard');
    expect(staff.errors).toEqual([]);
  });
});
