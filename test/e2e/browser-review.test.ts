/**
 * Issue 16 item 3 and issue 18 on the security reviewer's page, in headless Chromium against the real server process:
 * the residual score on the policy's scale with its contributions grouped one line per cause, the scope-fit panel with
 * its citations (and the PDF opened at the cited page), the CUEC list and system name, a rating override and a
 * scope-fit override with their errors next to the inputs, a CUEC task assigned, an approval with a condition refused
 * without its due date and then recorded, and after it the condition, who decided, when and why. Procurement and the
 * vendor go through the API (the journey test covers their pages). Screenshots at 1280 and 390 px, axe-core 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import PDFDocument from 'pdfkit';
import { afterAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { safestAnswers } from '../support/answers.ts';
import { expectNoAxeViolations, launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { renderReport } from '../fixtures/soc2-corpus/render-report.ts';
import type { SocReportSpec } from '../fixtures/soc2-corpus/spec-types.ts';
import { corpusSpecs } from '../fixtures/soc2-corpus/specs.ts';
import { corpusPdf, isCleanType2 } from '../support/journey.ts';
import { freePort, startServerProcess, type RunningServer } from '../support/processes.ts';
import { uploadSteps } from '../support/uploads.ts';

let dataDir: string | undefined;
let server: RunningServer | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});


async function call(method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(server!.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const res = await call(method, path, token, body);
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

let reportPdf: Buffer | undefined;
/** Starts the server, Chromium and the corpus report once, inside the first test that needs them (a missing Chromium fails it). */
async function startEverything(): Promise<Buffer> {
  if (server && browser && reportPdf) return reportPdf;
  dataDir = await mkdtemp(join(tmpdir(), 'trustgate-review-'));
  const port = await freePort();
  const [launched, started, pdf] = await Promise.allSettled([
    launchChromium(),
    startServerProcess({ TRUSTGATE_DATA_DIR: join(dataDir, 'data'), PORT: String(port), TRUSTGATE_PUBLIC_URL: `http://127.0.0.1:${port}` }),
    corpusPdf(isCleanType2),
  ]);
  if (launched.status === 'fulfilled') browser = launched.value;
  if (started.status === 'fulfilled') server = started.value;
  for (const result of [launched, started, pdf]) if (result.status === 'rejected') throw result.reason;
  reportPdf = (pdf as PromiseFulfilledResult<Buffer>).value;
  return reportPdf;
}

/** A SOC 2 report whose text names no auditor (the firm only in a signature image): the analyzer is unsure of it. */
function reportWithoutAuditor(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', info: { Title: 'Wren SOC 2', CreationDate: new Date(Date.UTC(2026, 7, 1)) } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolveDone) => doc.on('end', () => resolveDone(Buffer.concat(chunks))));
  for (const line of [
    "Independent Service Auditor's Report",
    'To the Management of Wren Data Inc.:',
    'Scope',
    "We have examined Wren Data Inc.'s description of its Wren Payroll Platform throughout the period January 1, 2026 to June 30, 2026 based on the trust services criteria relevant to security.",
    'Opinion',
    'In our opinion, in all material respects, the controls stated in the description operated effectively throughout the period January 1, 2026 to June 30, 2026.',
    'San Jose, California',
    'August 1, 2026',
  ]) {
    doc.fontSize(11).text(line, { paragraphGap: 6 });
  }
  doc.end();
  return done;
}

/** Procurement registers a vendor and starts an assessment; the portal token of the newest invitation to `contactEmail`. */
async function startAssessment(procurement: string, intake: Record<string, unknown>, vendorId?: string): Promise<{ vendorId: string; assessmentId: string; portalToken: string }> {
  const contactEmail = intake.contactEmail as string;
  const before = (await api<{ items: { to: string[] | string; text: string }[] }>('GET', '/api/dev/outbox', procurement)).items.length;
  const id = vendorId ?? (await api<{ id: string }>('POST', '/api/vendors', procurement, intake)).id;
  const assessment = await api<{ id: string }>('POST', '/api/assessments', procurement, { vendorId: id, dueDate: '2027-06-30' });
  let portalToken = '';
  await expect
    .poll(async () => {
      const items = (await api<{ items: { to: string[] | string; text: string }[] }>('GET', '/api/dev/outbox', procurement)).items;
      const mail = items.length > before ? items.find((m) => String(m.to).includes(contactEmail) && m.text.includes('#token=tgp_')) : undefined;
      portalToken = /#token=(tgp_[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
      return portalToken;
    }, { timeout: 30_000, interval: 500 })
    .not.toBe('');
  return { vendorId: id, assessmentId: assessment.id, portalToken };
}

/**
 * Waits until the assessment awaits review and its workflow waits for the decision: the status is written a moment
 * before the workflow enters AwaitSecurityReview, and a decision in between is refused (409 workflow-not-ready).
 */
async function readyForReview(assessmentId: string, token: string): Promise<void> {
  await expect
    .poll(async () => {
      const view = await api<{ assessment: { status: string }; waitingAt: string | null }>('GET', `/api/assessments/${assessmentId}`, token);
      return `${view.assessment.status} at ${view.waitingAt ?? 'nothing'}`;
    }, { timeout: 90_000, interval: 500 })
    .toBe('awaiting-review at AwaitSecurityReview');
}

async function statusOf(assessmentId: string, token: string): Promise<string> {
  return (await api<{ assessment: { status: string } }>('GET', `/api/assessments/${assessmentId}`, token)).assessment.status;
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

interface PortalView {
  questionnaires: { template: { id: string; sections: { questions: { id: string; type: string }[] }[] } }[];
}

/** The vendor's part through the API: every questionnaire answered safely, the report uploaded and cited, submitted. */
async function vendorSubmits(portalToken: string, report: Buffer, fileName = 'acme-soc2.pdf'): Promise<void> {
  const view = await api<PortalView>('GET', '/api/portal/assessment', portalToken);
  const uploaded = await uploadSteps({ api: (method, path, body) => call(method, path, portalToken, body), postForm: (url, form) => fetch(new URL(url, server!.url), { method: 'POST', body: form }) }, report, { fileName });
  expect(uploaded.last.status, await uploaded.last.clone().text()).toBe(201);
  const documentId = ((await uploaded.last.json()) as { id: string }).id;
  for (const { template } of view.questionnaires) {
    const answers = safestAnswers(getTemplate(template.id)!);
    for (const q of template.sections.flatMap((s) => s.questions)) if (q.type === 'file') answers[q.id] = { value: documentId };
    await api('PUT', '/api/portal/answers', portalToken, { templateId: template.id, answers });
  }
  await api('POST', '/api/portal/submit', portalToken);
}

/** The control's field error (next to it, named by aria-describedby) and whether it is marked invalid. */
async function fieldErrorOf(page: Page, controlId: string): Promise<{ invalid: string | null; message: string | null }> {
  const control = page.locator(`#${controlId}`);
  const describedBy = (await control.getAttribute('aria-describedby')) ?? '';
  const errorId = describedBy.split(' ').find((id) => id.endsWith('-field-error'));
  return { invalid: await control.getAttribute('aria-invalid'), message: errorId ? await page.locator(`#${errorId}`).textContent() : null };
}

describe('the security reviewer’s assessment page', () => {
  it('shows the score on the policy scale, the scope fit and the evidence, takes an override, a task assignment and a conditional approval', { timeout: 300_000 }, async () => {
    const report = await startEverything();

    // Procurement registers a tier-1 vendor and records what we buy; the vendor answers, uploads its report, submits.
    const procurement = await staffToken('procurement');
    const { assessmentId, portalToken } = await startAssessment(procurement, {
      name: 'Acme Cloud',
      website: 'https://acme.example',
      contactEmail: 'security@acme.example',
      criticality: 'high',
      dataClassification: 'confidential',
      dataTypes: ['personal'],
      systemAccess: 'network',
      services: ['Cloud platform hosting', 'Payroll processing'],
    });
    const assessment = { id: assessmentId };
    await vendorSubmits(portalToken, report);
    await readyForReview(assessment.id, procurement);

    // Security opens the assessment.
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server!.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInAs(page, 'security');
    await page.goto(`/assessments/${assessment.id}`);
    await expect.poll(() => page.locator('#score .scale').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('#scope-fit #scope-verdict').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.locator('#analysis .cuecs li').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    // The score on the scale of the policy's bands, and the contributions in their groups, one line per cause.
    const policy = await api<{ ratings: { medium: number; high: number; critical: number } }>('GET', '/api/risk-policy', procurement);
    const score = Number(await page.locator('#score .score-line strong').textContent());
    const band = score >= policy.ratings.critical ? 'critical' : score >= policy.ratings.high ? 'high' : score >= policy.ratings.medium ? 'medium' : 'low';
    expect(await page.locator('#score .scale').getAttribute('aria-label')).toContain(`Score ${score} of 100, in the ${band} band`);
    expect(await page.locator('#score .bands li').allTextContents()).toEqual([
      `Low 0–${policy.ratings.medium - 1}`,
      `Medium ${policy.ratings.medium}–${policy.ratings.high - 1}`,
      `High ${policy.ratings.high}–${policy.ratings.critical - 1}`,
      `Critical ${policy.ratings.critical}–100`,
    ].map((text) => (text.toLowerCase().startsWith(band) ? `${text} (this score)` : text)));
    expect(await page.locator('#score .contrib-group h3').allTextContents()).toEqual([expect.stringMatching(/^Inherent profile/), expect.stringMatching(/^Evidence/), expect.stringMatching(/^Findings/)]);
    // One line per cause: evidence that counts in several required categories (an answer, the report) is one line.
    const scoreAnswer = await api<{ score: { contributions: { id: string; points: number }[] } }>('GET', `/api/assessments/${assessment.id}/score`, procurement);
    const assurance = scoreAnswer.score.contributions.filter((c) => c.id.startsWith('assurance:'));
    const causes = new Set(assurance.map((c) => c.id.replace(/^assurance:[^:]+:/, '')));
    expect(causes.size, 'some evidence counts in several categories').toBeLessThan(assurance.length);
    const evidenceLines = page.locator('#score [data-group="evidence"] li[data-cause]');
    expect(await evidenceLines.count()).toBe(causes.size);
    expect(new Set(await evidenceLines.evaluateAll((lis) => lis.map((li) => li.getAttribute('data-cause')))).size).toBe(causes.size);
    // The report's period ended long ago: stale, one line among the findings.
    expect(await page.locator('#score [data-group="findings"] li[data-cause$=":stale"]').count()).toBe(1);

    // The analysis panel: the system the report covers and the CUECs; the scope-fit panel cites its pages.
    expect(await page.locator('#analysis [data-field="systemName"]').first().textContent()).toContain('Acme Cloud Platform');
    expect(await page.locator('#scope-fit').textContent()).toContain('Acme Cloud Platform');
    expect(await page.locator('#scope-fit').textContent()).toContain('Payroll processing');
    const citation = page.locator('#scope-fit button.page-link').first();
    expect(await citation.textContent()).toMatch(/^page \d+$/);
    const changesEmpty = page.locator('#changes-empty');
    expect(await changesEmpty.textContent()).toContain('No previous approved assessment');
    await screenshotAtWidths(page, 'review-01-assessment');

    // A quote opens the PDF at its page, in a new tab.
    const citedPage = await citation.getAttribute('data-page');
    const [tab] = await Promise.all([context.waitForEvent('page'), citation.click()]);
    await expect.poll(() => tab.url(), { timeout: 15_000 }).toMatch(new RegExp(`^blob:${server!.url}/.+#page=${citedPage}$`));
    await tab.close();

    // Rating override: too short a justification is refused next to its input; then recorded, the computed one kept.
    const computed = (await api<{ score: { rating: string } }>('GET', `/api/assessments/${assessment.id}/score`, procurement)).score.rating;
    const overrideTo = computed === 'critical' ? 'high' : 'critical';
    await page.locator('#override-area summary').click();
    await page.getByLabel('Rating', { exact: true }).selectOption(overrideTo);
    await page.locator('#f-override-justification').fill('Too short.');
    await page.getByRole('button', { name: 'Override the rating' }).click();
    await expect.poll(() => fieldErrorOf(page, 'f-override-justification'), { timeout: 10_000 }).toEqual({ invalid: 'true', message: expect.stringContaining('at least 20 characters') as string });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-override-justification');
    const justification = 'Payroll data of every employee; the carved-out hosting was never reviewed by us.';
    await page.locator('#f-override-justification').fill(justification);
    await page.getByRole('button', { name: 'Override the rating' }).click();
    const overridden = overrideTo.charAt(0).toUpperCase() + overrideTo.slice(1);
    await expect.poll(() => page.locator('#score-status').textContent(), { timeout: 10_000 }).toBe(`Rating overridden to ${overridden}; the computed rating stays visible.`);
    expect(await page.locator('#score-status').isVisible()).toBe(true);
    await expect.poll(() => page.locator('#override-note').textContent(), { timeout: 10_000 }).toContain(justification);
    expect(await page.locator('#score .score-line').textContent()).toContain(`rating ${overridden} (overridden; computed ${computed})`);

    // Scope fit: security sets the verdict with a reason (a reason too short is refused where it is typed).
    await page.locator('#scope-override-area summary').click();
    await page.getByLabel('Fit: the report covers what we buy').check();
    await page.locator('#f-scope-reason').fill('Short.');
    await page.getByRole('button', { name: 'Set the verdict' }).click();
    await expect.poll(() => fieldErrorOf(page, 'f-scope-reason'), { timeout: 10_000 }).toMatchObject({ invalid: 'true' });
    await page.locator('#f-scope-reason').fill('Payroll runs on the Acme Cloud Platform, section 3 of the description.');
    await page.getByRole('button', { name: 'Set the verdict' }).click();
    await expect.poll(() => page.locator('#scope-fit-status').textContent(), { timeout: 10_000 }).toContain('Scope fit set to Fit');
    await expect.poll(() => page.locator('#scope-verdict').textContent(), { timeout: 10_000 }).toBe('Fit');

    // A CUEC task assigned to a person.
    const task = page.locator('#tasks tbody tr').first();
    const taskText = (await task.locator('td').first().textContent())!;
    await task.locator('summary', { hasText: 'Assign' }).click();
    await task.getByLabel('Person who runs this control (name or email)').fill('it-ops@ourcompany.example');
    await task.getByRole('button', { name: 'Assign' }).click();
    await expect.poll(() => page.locator('#tasks-status').textContent(), { timeout: 10_000 }).toBe(`Assigned to it-ops@ourcompany.example: ${taskText}`);
    await expect.poll(() => page.locator('#tasks tbody tr').first().textContent()).toContain('it-ops@ourcompany.example');

    // Approve with a condition but no due date: the error is next to the date, which gets the focus.
    await page.getByLabel('Approved with conditions').check();
    await page.getByLabel('Comment').fill('Approved: the report is old, so a new one is a condition.');
    await page.getByLabel('Condition', { exact: true }).fill('Send the SOC 2 report for the current period');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => fieldErrorOf(page, 'f-condition-due'), { timeout: 10_000 }).toEqual({ invalid: 'true', message: 'A calendar date written YYYY-MM-DD.' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-condition-due');
    expect(await page.locator('#f-comment').getAttribute('aria-invalid')).toBeNull();
    await screenshotAtWidths(page, 'review-02-condition-error');

    await page.getByLabel('Condition due date').fill('2027-03-31');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const decided = page.locator('#decided');
    await expect.poll(() => decided.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#decision-status').textContent()).toBe('Decision recorded: Approved with conditions.');
    expect(await page.locator('#decision-status').isVisible()).toBe(true);
    const record = (await decided.textContent())!;
    expect(record).toContain('Approved with conditions');
    expect(record).toContain('security@trustgate.local');
    expect(record).toContain('Approved: the report is old, so a new one is a condition.');
    expect(record).toContain('Send the SOC 2 report for the current period');
    expect(record).toContain('2027-03-31');
    expect(record).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(await page.locator('#decide').isVisible()).toBe(false);
    await screenshotAtWidths(page, 'review-03-decided');

    // After a reload (no form state left) the decision is still told the same way.
    await page.reload();
    await expect.poll(() => page.locator('#decided').textContent(), { timeout: 10_000 }).toContain('Send the SOC 2 report for the current period');
    await expectNoAxeViolations(page, 'review-04-decided-reloaded');
    expect(errors).toEqual([]);
  });
  it('flags the fields the analyzer was unsure of, with its reason, and security corrects one in place', { timeout: 300_000 }, async () => {
    await startEverything();
    const procurement = await staffToken('procurement');
    const { assessmentId, portalToken } = await startAssessment(procurement, {
      name: 'Wren Data',
      website: 'https://wren.example',
      contactEmail: 'security@wren.example',
      criticality: 'high',
      dataClassification: 'confidential',
      dataTypes: ['personal'],
      systemAccess: 'network',
      services: ['Payroll'],
    });
    await vendorSubmits(portalToken, await reportWithoutAuditor(), 'wren-soc2.pdf');
    await readyForReview(assessmentId, procurement);

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server!.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInAs(page, 'security');
    await page.goto(`/assessments/${assessmentId}`);
    const auditor = page.locator('[data-field="serviceAuditor"]').first();
    await expect.poll(() => auditor.locator('.badge.unsure').count(), { timeout: 15_000 }).toBe(1);
    expect(await auditor.locator('.unsure-reason').textContent()).toContain('no signing firm in the text');
    expect(await page.locator('.unsure-summary').first().textContent()).toMatch(/unsure of \d+ field\(s\): .*Auditor \(no signing firm/);
    expect(await page.locator('[data-field="opinion"] .badge.unsure').count(), 'a field read with confidence is not flagged').toBe(0);
    // The flagged field's correction form is open where the flag is.
    expect(await auditor.locator('details.correct').first().getAttribute('open')).not.toBeNull();
    await screenshotAtWidths(page, 'review-04-low-confidence');

    await auditor.getByLabel('New value (empty: not stated)').fill('Harbor & Pine CPAs LLP');
    await auditor.getByLabel('Why (what the report says, and where)').fill('The signature image on page 1 is Harbor & Pine CPAs LLP.');
    await auditor.getByRole('button', { name: 'Save correction' }).click();
    const corrected = page.locator('[data-field="serviceAuditor"]').first();
    await expect.poll(() => corrected.locator('.badge.corrected').count(), { timeout: 10_000 }).toBe(1);
    expect(await corrected.locator('.badge.unsure').count()).toBe(0);
    expect(await corrected.textContent()).toContain('Harbor & Pine CPAs LLP');
    expect(errors).toEqual([]);
  });

  it('shows security what changed in a reassessment: answers, score and the contributions that moved', { timeout: 300_000 }, async () => {
    const report = await startEverything();
    const procurement = await staffToken('procurement');
    const security = await staffToken('security');
    const intake = { name: 'Birch Payroll', website: 'https://birch.example', contactEmail: 'security@birch.example', criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'], systemAccess: 'network' };
    const first = await startAssessment(procurement, intake);
    await vendorSubmits(first.portalToken, report, 'birch-soc2.pdf');
    await readyForReview(first.assessmentId, procurement);
    await api('POST', `/api/assessments/${first.assessmentId}/decision`, security, { decision: 'approved', comment: 'Fine for a year.' });
    await expect.poll(() => statusOf(first.assessmentId, procurement), { timeout: 30_000, interval: 500 }).toBe('approved');

    // The reassessment opens with the approved answers: the vendor confirms each section, changes one answer and
    // uploads the report again (the old one is stale under the policy, so it is asked for again), then submits.
    const second = await startAssessment(procurement, intake, first.vendorId);
    const view = await api<PortalView & { carriedOver: { sections: Record<string, Record<string, string>> } | null }>('GET', '/api/portal/assessment', second.portalToken);
    for (const [templateId, sections] of Object.entries(view.carriedOver?.sections ?? {})) {
      for (const sectionId of Object.keys(sections)) await api('POST', '/api/portal/sections/confirm', second.portalToken, { templateId, sectionId });
    }
    await api('PUT', '/api/portal/answers', second.portalToken, { templateId: 'baseline-security', answers: { 'gov-policies': { value: 'no', comment: 'Policies are being rewritten.' } } });
    const uploaded = await uploadSteps({ api: (method, path, body) => call(method, path, second.portalToken, body), postForm: (url, form) => fetch(new URL(url, server!.url), { method: 'POST', body: form }) }, report, { fileName: 'birch-soc2-again.pdf' });
    expect(uploaded.last.status, await uploaded.last.clone().text()).toBe(201);
    const documentId = ((await uploaded.last.json()) as { id: string }).id;
    for (const { template } of view.questionnaires) {
      const files = template.sections.flatMap((sec) => sec.questions).filter((q) => q.type === 'file');
      if (files.length) await api('PUT', '/api/portal/answers', second.portalToken, { templateId: template.id, answers: Object.fromEntries(files.map((f) => [f.id, { value: documentId }])) });
    }
    await api('POST', '/api/portal/submit', second.portalToken);
    await readyForReview(second.assessmentId, procurement);
    const changes = await api<{ score: { before: number; after: number; delta: number } }>('GET', `/api/assessments/${second.assessmentId}/changes`, security);

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server!.url });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signInAs(page, 'security');
    await page.goto(`/assessments/${second.assessmentId}`);
    const panel = page.locator('#changes');
    await expect.poll(() => panel.locator('dl').count(), { timeout: 15_000 }).toBe(1);
    const text = (await panel.textContent())!;
    expect(text).toContain('the assessment approved on');
    expect(await panel.getByRole('link').first().getAttribute('href')).toBe(`/assessments/${first.assessmentId}`);
    expect(text).toContain(`${changes.score.before} → ${changes.score.after} (${changes.score.delta > 0 ? '+' : changes.score.delta < 0 ? '−' : ''}${Math.abs(changes.score.delta)})`);
    // The second table lists the answers (the first, the contributions that moved, names the question too).
    const row = panel.locator('table').nth(1).locator('tbody tr', { hasText: 'gov-policies' });
    expect(await row.locator('td').allTextContents()).toEqual(['baseline-security · gov-policies', 'yes', 'no (comment: Policies are being rewritten.)']);
    const moved = panel.locator('table').first().locator('tbody tr');
    expect(await moved.count(), 'contributions that moved').toBeGreaterThan(0);
    expect(await moved.filter({ hasText: '(question gov-policies)' }).count(), 'the changed answer moved its contributions').toBeGreaterThan(0);
    expect(text).toMatch(/\d+ confirmed unchanged, \d+ edited/);
    await screenshotAtWidths(page, 'review-05-what-changed');
    expect(errors).toEqual([]);
  });

  it('shows a scope mismatch with the page it rests on, and its finding cited to the report', { timeout: 300_000 }, async () => {
    await startEverything();
    const base = corpusSpecs.find((x): x is SocReportSpec => x.id === 'classic-01-unqualified')!;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const spec: SocReportSpec = { ...base, id: 'browser-scope-mismatch', system: 'Marketing Website', exceptions: [], subservice: [], periodStart: day(-396), periodEnd: day(-31), reportDate: day(-14) };
    const report = Buffer.from((await renderReport(spec)).bytes);
    const procurement = await staffToken('procurement');
    const { assessmentId, portalToken } = await startAssessment(procurement, {
      name: 'Heron Payroll',
      website: 'https://heron.example',
      contactEmail: 'security@heron.example',
      criticality: 'high',
      dataClassification: 'confidential',
      dataTypes: ['employee'],
      services: ['Payroll processing'],
    });
    await vendorSubmits(portalToken, report, 'heron-soc2.pdf');
    await readyForReview(assessmentId, procurement);
    const fit = await api<{ verdict: string; services: { citation: { page: number } | null }[] }>('GET', `/api/assessments/${assessmentId}/scope-fit`, procurement);
    expect(fit.verdict).toBe('mismatch');
    const page = fit.services[0]!.citation!.page;

    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, baseURL: server!.url });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on('pageerror', (error) => errors.push(error.message));
    await signInAs(tab, 'security');
    await tab.goto(`/assessments/${assessmentId}`);
    await expect.poll(() => tab.locator('#scope-fit #scope-verdict').textContent(), { timeout: 15_000 }).toBe('Mismatch');
    const panel = (await tab.locator('#scope-fit').textContent())!;
    expect(panel).toContain('Payroll processing');
    expect(panel).toContain('Marketing Website');
    expect(await tab.locator('#scope-fit button.page-link').allTextContents()).toContain(`page ${page}`);
    // The finding the mismatch raised, in the findings table with the report's words and the same page.
    const row = tab.locator('#findings tbody tr', { hasText: /not the services we buy/ });
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    expect(await row.locator('.citation').textContent()).toContain('heron-soc2.pdf, systemName');
    expect(await row.locator('button.page-link').textContent()).toBe(`page ${page}`);
    await screenshotAtWidths(tab, 'review-06-scope-mismatch');
    expect(errors).toEqual([]);
  });
});
