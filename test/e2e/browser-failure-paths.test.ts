/**
 * Issue 16, item 1: when evidence cannot be read, nobody is stuck in the UI. The vendor sees at upload that a file
 * needs a password and replaces a document before submitting; security sees why the assessment needs attention, sends
 * it back to the vendor for a new file from the page, and the vendor's new file completes it. Headless Chromium against
 * the real server process; screenshots at 1280 and 390 px.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { safestAnswers } from '../support/answers.ts';
import { launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { encryptedPdf, textPdf } from '../fixtures/unreadable-pdfs.ts';
import { freePort, startServerProcess, type RunningServer } from '../support/processes.ts';

let dataDir: string | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});


async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(server!.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

async function staffToken(role: string): Promise<string> {
  const res = await fetch(`${server!.url}/auth/local/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role }) });
  return ((await res.json()) as { token: string }).token;
}

async function signInAs(page: Page, role: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: `Sign in as ${role}` }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** Replaces a document's file through its Replace button and the file chooser it opens. */
async function replaceWith(page: Page, fileName: string, file: { name: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: `Replace ${fileName}` }).click();
  await (await chooser).setFiles({ name: file.name, mimeType: 'application/pdf', buffer: file.buffer });
}

describe('failure paths in the web interface', () => {
  it('refuses an encrypted upload, replaces a document, and completes an assessment sent back for a new file', { timeout: 300_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'trustgate-failure-paths-'));
    const port = await freePort();
    [browser, server] = await Promise.all([launchChromium(), startServerProcess({ TRUSTGATE_DATA_DIR: join(dataDir, 'data'), PORT: String(port), TRUSTGATE_PUBLIC_URL: `http://127.0.0.1:${port}` })]);
    const errors: string[] = [];

    // Procurement starts an assessment (through the API: the journey test covers these pages). A critical vendor, so
    // that policy does not approve it automatically (a low rating without high findings would, unread file or not).
    const procurement = await staffToken('procurement');
    const vendor = await api<{ id: string }>('POST', '/api/vendors', procurement, { name: 'Lockbox Storage', website: 'https://lockbox.example', contactEmail: 'security@lockbox.example', criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'], systemAccess: 'network' });
    const assessment = await api<{ id: string }>('POST', '/api/assessments', procurement, { vendorId: vendor.id, dueDate: '2027-06-30' });
    let link = '';
    await expect
      .poll(async () => {
        const mail = (await api<{ items: { text: string }[] }>('GET', '/api/dev/outbox', procurement)).items.find((m) => m.text.includes('#token=tgp_'));
        link = /(https?:\/\/\S+#token=tgp_[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
        return link;
      }, { timeout: 30_000, interval: 500 })
      .not.toBe('');

    // The vendor: an encrypted report is refused at once, in words; a document is replaced (a bad replacement refused).
    const vendorContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url });
    const portal = await vendorContext.newPage();
    portal.on('pageerror', (error) => errors.push(`portal: ${error.message}`));
    await portal.goto(link);
    await portal.getByRole('button', { name: 'Open the assessment' }).click();
    await portal.waitForURL((url) => url.pathname === '/portal');
    await expect.poll(() => portal.locator('h1').textContent(), { timeout: 15_000 }).toContain('Lockbox Storage');

    await portal.getByLabel('Kind of document').selectOption('soc2-report');
    await portal.locator('#f-file').setInputFiles({ name: 'soc2-locked.pdf', mimeType: 'application/pdf', buffer: await encryptedPdf() });
    await expect.poll(() => portal.locator('#upload-errors').textContent(), { timeout: 20_000 }).toContain('soc2-locked.pdf was not accepted');
    expect(await portal.locator('#upload-errors').textContent()).toContain('protected with a password');
    // Next to the file control: marked invalid, described by the error, focused.
    expect(await portal.locator('#f-file').getAttribute('aria-invalid')).toBe('true');
    expect(await portal.locator('#f-file').getAttribute('aria-describedby')).toBe('upload-errors');
    expect(await portal.evaluate(() => document.activeElement?.id)).toBe('f-file');
    expect(await portal.locator('#documents').textContent()).toBe('No documents yet.');
    await screenshotAtWidths(portal, 'failure-01-encrypted-upload-refused');

    await portal.getByLabel('Kind of document').selectOption('bridge-letter');
    await portal.locator('#f-file').setInputFiles({ name: 'bridge.pdf', mimeType: 'application/pdf', buffer: await textPdf({ title: 'Bridge letter' }) });
    await expect.poll(() => portal.locator('#documents').textContent(), { timeout: 20_000 }).toContain('bridge.pdf');
    await replaceWith(portal, 'bridge.pdf', { name: 'bridge-locked.pdf', buffer: await encryptedPdf() });
    // A refused replacement is said under the document it was for, and the focus stays on its Replace button.
    const bridgeErrors = portal.locator('[data-document] .document-errors');
    await expect.poll(() => bridgeErrors.textContent(), { timeout: 20_000 }).toContain('bridge-locked.pdf was not accepted');
    expect(await portal.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Replace bridge.pdf');
    expect(await portal.locator('#documents').textContent()).toContain('bridge.pdf');
    await replaceWith(portal, 'bridge.pdf', { name: 'bridge-2026.pdf', buffer: await textPdf({ title: 'Bridge letter 2026' }) });
    await expect.poll(() => portal.locator('#status').textContent(), { timeout: 20_000 }).toBe('Replaced bridge.pdf with bridge-2026.pdf.');
    expect(await portal.locator('#documents li').count()).toBe(1);
    expect(await portal.locator('#upload-errors li').count()).toBe(0);
    await screenshotAtWidths(portal, 'failure-02-document-replaced');

    // The answers through the API (the journey test fills them in the page); then the stored file goes bad, as a file
    // that was never checked at upload (in AWS the API does not open it: ADR 10) would be, and the vendor submits.
    const portalToken = /#token=(tgp_[A-Za-z0-9_-]+)/.exec(link)![1]!;
    const view = await api<{ questionnaires: { template: { id: string } }[] }>('GET', '/api/portal/assessment', portalToken);
    for (const { template } of view.questionnaires) await api('PUT', '/api/portal/answers', portalToken, { templateId: template.id, answers: safestAnswers(getTemplate(template.id)!) });
    // A replaced file is stored under a new key: spoil the one file the assessment holds, whatever its name.
    const stored = join(dataDir, 'data', 'documents', 'assessments', assessment.id);
    const files = (await readdir(stored)).filter((name) => name.endsWith('.pdf'));
    expect(files).toHaveLength(1);
    await writeFile(join(stored, files[0]!), await encryptedPdf());
    // Nothing to press until the assessment has arrived (the flake this once was: a click on an empty page did nothing).
    await portal.reload();
    await portal.getByRole('button', { name: 'Review and submit' }).click();
    await portal.getByRole('button', { name: 'Submit now' }).click({ timeout: 30_000 });
    await expect.poll(() => portal.locator('#locked-note').isVisible(), { timeout: 15_000 }).toBe(true);

    // Security: the page says why the assessment needs attention and sends it back for a new file.
    const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server.url });
    const page = await staffContext.newPage();
    page.on('pageerror', (error) => errors.push(`staff: ${error.message}`));
    await signInAs(page, 'security');
    await page.goto(`/assessments/${assessment.id}`);
    const attention = page.locator('#attention');
    await expect
      .poll(async () => (await page.reload(), await page.locator('#summary dl').waitFor(), `${await page.locator('#summary').textContent()} | ${(await attention.isVisible()) ? await attention.textContent() : ''}`), { timeout: 90_000, interval: 1000 })
      .toMatch(/Awaiting review.* \| .*bridge-2026\.pdf could not be read/);
    expect(await page.getByRole('button', { name: 'Read the files again' }).isVisible()).toBe(true);
    await screenshotAtWidths(page, 'failure-03-needs-attention');
    await attention.locator('summary', { hasText: 'Ask the vendor for a new file' }).click();
    await attention.getByLabel('What the vendor should send (the vendor reads this)').fill('bridge-2026.pdf needs a password to open: please upload it without one.');
    await attention.getByRole('button', { name: 'Ask the vendor for a new file' }).click();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toContain('Sent back to the vendor');
    await expect.poll(async () => (await page.reload(), await page.locator('#summary dl').waitFor(), await page.locator('#summary').textContent()), { timeout: 30_000, interval: 500 }).toContain('Awaiting vendor');

    // The vendor sees why, replaces the file and submits again.
    // The workflow reopens the answers and documents right after the decision: the vendor reloads until it has.
    const replaceButton = portal.getByRole('button', { name: 'Replace bridge-2026.pdf' });
    await expect.poll(async () => (await portal.reload(), await portal.locator('#portal-head p').first().waitFor(), await replaceButton.isVisible()), { timeout: 30_000, interval: 1000 }).toBe(true);
    expect(await portal.locator('#changes-requested').textContent()).toContain('needs a password to open');
    await screenshotAtWidths(portal, 'failure-04-changes-requested');
    await replaceWith(portal, 'bridge-2026.pdf', { name: 'bridge-2026-open.pdf', buffer: await textPdf({ title: 'Bridge letter 2026' }) });
    await expect.poll(() => portal.locator('#status').textContent(), { timeout: 20_000 }).toBe('Replaced bridge-2026.pdf with bridge-2026-open.pdf.');
    await portal.getByRole('button', { name: 'Review and submit' }).click();
    await portal.getByRole('button', { name: 'Submit now' }).click();
    await expect.poll(() => portal.locator('#locked-note').isVisible(), { timeout: 15_000 }).toBe(true);

    // Security: nothing needs attention any more; the decision completes the assessment.
    await expect
      .poll(async () => (await page.reload(), await page.locator('#summary dl').waitFor(), await page.locator('#summary').textContent()), { timeout: 90_000, interval: 1000 })
      .toContain('Awaiting review');
    expect(await attention.isVisible()).toBe(false);
    await page.getByLabel('Comment').fill('Bridge letter readable now; nothing else open.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => page.locator('#summary').textContent(), { timeout: 15_000 }).toContain('Approved');
    await screenshotAtWidths(page, 'failure-05-completed');
    expect(errors).toEqual([]);
  });
});
