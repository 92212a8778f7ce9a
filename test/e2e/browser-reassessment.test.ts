/**
 * Issue 18, item 2 in the browser: a vendor approved once comes up for review when the clock passes its review date,
 * the daily sweep starts the reassessment, and the vendor, through the mailed link in Chromium, finds last year's
 * answers filled in and marked with their date, confirms the unchanged sections in a click each, replaces only the
 * stale SOC 2 report (asked for again with the reason in words) and submits; security sees what changed and decides.
 * The app runs in this process (the test's clock moves; a server process has its own), served over HTTP exactly as
 * `npm start` serves it. Screenshots at 1280 and 390 px, axe-core on each.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { runDailySweep } from '../../shared/app/sweep.ts';
import { renderReport } from '../fixtures/soc2-corpus/render-report.ts';
import type { SocReportSpec } from '../fixtures/soc2-corpus/spec-types.ts';
import { corpusSpecs } from '../fixtures/soc2-corpus/specs.ts';
import { expectNoAxeViolations, launchChromium, screenshotAtWidths } from '../support/browser.ts';
import { answerEverything, assessmentOf, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { serveOverNode, type ServedApp } from '../support/node-adapter.ts';
import { startTestStack, TestClock, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | undefined;
let served: ServedApp | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await stack?.dispose();
});

const CONTACT = 'security@reassess.example';

/** A clean SOC 2 Type II report whose period ended a month before `now` (fresh then). */
async function reportFreshAt(now: Date, id: string): Promise<Buffer> {
  const day = (days: number) => new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const base = corpusSpecs.find((s): s is SocReportSpec => s.id === 'classic-01-unqualified')!;
  return (await renderReport({ ...base, id, exceptions: [], subservice: [], periodStart: day(-396), periodEnd: day(-31), reportDate: day(-14) })).bytes;
}

interface PortalApiView {
  carriedOver: { answeredOn: string; sections: Record<string, Record<string, string>>; evidence: { carried: string[]; askAgain: { fileName: string; reason: string }[] } } | null;
  questionnaires: { template: { id: string; sections: { id: string; questions: { id: string; type: string }[] }[] } }[];
}

interface Changes {
  previous: { assessmentId: string } | null;
  answers: { templateId: string; questionId: string }[];
  sections: { templateId: string; sectionId: string; review: string }[];
  score: { before: number | null; after: number | null; delta: number | null };
}

async function decideIfWaiting(s: TestStack, id: string): Promise<void> {
  if ((await assessmentOf(s, id)).assessment.status !== 'awaiting-review') return;
  const res = await s.call('POST', `/api/assessments/${id}/decision`, { token: await s.tokenFor('security'), body: { decision: 'approved', comment: 'Reviewed; nothing open.' } });
  expect(res.status, await res.clone().text()).toBe(200);
  await s.settle();
}

describe('reassessment in the browser', () => {
  it('a vendor confirms unchanged sections, replaces only the stale report and submits; security sees what changed and decides', { timeout: 400_000 }, async () => {
    const clock = new TestClock();
    stack = await startTestStack({ clock });
    [browser, served] = await Promise.all([launchChromium(), serveOverNode(stack.http.app.fetch)]);
    const errors: string[] = [];

    // Approved once: a tier-1 vendor (its questionnaires by tier and data types), a fresh report, the safest answers.
    // Critical with privileged access: its residual risk stays above low, so security decides each time (no auto-approval).
    const vendorId = await registerVendor(stack, { name: 'Northwind Payroll', contactEmail: CONTACT, criticality: 'critical', dataClassification: 'restricted', systemAccess: 'privileged', dataTypes: ['personal', 'payment'] });
    const firstId = await startAssessmentFor(stack, vendorId);
    const firstPortal = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, firstPortal);
    expect((await upload(stack, firstPortal, await reportFreshAt(clock.now(), 'first-report'), 'soc2-report-2026.pdf')).status).toBe(201);
    expect((await stack.call('POST', '/api/portal/submit', { token: firstPortal })).status).toBe(200);
    await stack.settle();
    await decideIfWaiting(stack, firstId);
    const first = (await assessmentOf(stack, firstId)).assessment;
    expect(first.status).toBe('approved');

    // The clock passes the review date; the daily sweep starts the reassessment and mails the vendor a new link.
    clock.advanceDays(Math.ceil((Date.parse(first.nextReviewDate!) - clock.now().getTime()) / 86_400_000) + 1);
    const sweep = await runDailySweep(stack.deps);
    expect(sweep.reassessmentsStarted.map((r) => r.vendorId)).toEqual([vendorId]);
    const secondId = sweep.reassessmentsStarted[0]!.assessmentId;
    await stack.settle();
    const portalToken = await portalTokenFromOutbox(stack, CONTACT);
    expect(portalToken).not.toBe(firstPortal);
    const apiView = (await (await stack.call('GET', '/api/portal/assessment', { token: portalToken })).json()) as PortalApiView;
    const carriedSections = Object.entries(apiView.carriedOver!.sections).flatMap(([t, sections]) => Object.keys(sections).map((sid) => `${t}/${sid}`));
    expect(carriedSections.length).toBeGreaterThan(3);
    // The report's period ended more than the policy's months ago: asked for again, with the reason; nothing carried.
    expect(apiView.carriedOver!.evidence.askAgain.map((a) => a.fileName)).toEqual(['soc2-report-2026.pdf']);

    // The vendor opens the link.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: served.url });
    const portal: Page = await context.newPage();
    portal.on('pageerror', (error) => errors.push(error.message));
    // The assessment's data is held back at first: until it arrives the page says it is loading and offers nothing to press.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await portal.route('**/api/portal/assessment', async (route) => {
      await held;
      await route.continue();
    });
    await portal.goto(`/portal/open#token=${portalToken}`);
    await portal.getByRole('button', { name: 'Open the assessment' }).click();
    await portal.waitForURL((url) => url.pathname === '/portal');
    await portal.waitForLoadState('load');
    expect(await portal.locator('#portal-loading').textContent()).toBe('Loading your assessment…');
    expect(await portal.locator('button:visible, input:visible, select:visible, textarea:visible').count()).toBe(0);
    await expectNoAxeViolations(portal, 'portal loading');
    // Released: this and every later read of the assessment go through at once.
    release();
    await expect.poll(() => portal.locator('h1').textContent(), { timeout: 15_000 }).toContain('Northwind Payroll');
    expect(await portal.locator('#portal-loading').isVisible()).toBe(false);
    const answeredOn = apiView.carriedOver!.answeredOn;
    expect(await portal.locator('#carried-note').textContent()).toContain(`Your answers from ${answeredOn} are filled in.`);
    // Carried answers are marked with their date; numbers carry their unit; the stale report is asked for in words.
    expect(await portal.locator('.from-tag').count()).toBeGreaterThan(10);
    expect(await portal.locator('.from-tag').first().textContent()).toBe(`Your answer from ${answeredOn}`);
    const units = await portal.locator('.question:not([hidden]) .with-unit .unit').allTextContents();
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => ['hours', 'days', '%'].includes(u))).toBe(true);
    const askAgain = await portal.locator('#ask-again').textContent();
    expect(askAgain).toContain('soc2-report-2026.pdf');
    expect(askAgain).toMatch(/ended on \d{4}-\d{2}-\d{2}, \d+ months ago/);
    expect(await portal.locator('#ask-again .uploaded-since').textContent()).toBe('Nothing uploaded in this assessment yet.');
    expect(await portal.locator('.section-status').first().textContent()).toContain(`Answers from ${answeredOn}: confirm or edit`);
    await screenshotAtWidths(portal, 'reassess-01-portal-opened');
    // A jump from the sections list lands below the sticky progress bar, at both widths.
    for (const width of [1280, 390]) {
      await portal.setViewportSize({ width, height: 900 });
      const link = portal.locator('#sections-nav a').nth(5);
      const target = (await link.getAttribute('href'))!;
      await link.click();
      await expect.poll(() => portal.evaluate(() => location.hash)).toBe(target);
      const { barBottom, targetTop } = await portal.evaluate((id) => ({ barBottom: document.getElementById('progress-area')!.getBoundingClientRect().bottom, targetTop: document.querySelector(id)!.getBoundingClientRect().top }), target);
      expect(targetTop, `${target} at ${width}px`).toBeGreaterThanOrEqual(barBottom);
      expect(targetTop, `${target} at ${width}px`).toBeLessThan(400);
    }
    await portal.setViewportSize({ width: 1280, height: 900 });

    // Submitting too early: each unconfirmed section says so where it is, and the focus goes to the first.
    await portal.getByRole('button', { name: 'Review and submit' }).click();
    await expect.poll(() => portal.locator('#missing').textContent()).toContain(`to confirm or change`);
    expect(await portal.locator('.section-error:not(:empty)').count()).toBe(carriedSections.length);
    expect(await portal.evaluate(() => document.activeElement?.textContent)).toBe('Confirm unchanged');
    expect(await portal.getByRole('button', { name: 'Submit now' }).isVisible()).toBe(false);

    // The new report, then the sections: the file questions answered with it, every other section confirmed in a click.
    await portal.getByLabel('Kind of document').selectOption('soc2-report');
    await portal.locator('#f-file').setInputFiles({ name: 'soc2-report-2027.pdf', mimeType: 'application/pdf', buffer: await reportFreshAt(clock.now(), 'second-report') });
    await expect.poll(() => portal.locator('#documents').textContent(), { timeout: 20_000 }).toContain('soc2-report-2027.pdf');
    expect(await portal.locator('#ask-again .uploaded-since').textContent()).toBe('Uploaded in this assessment: soc2-report-2027.pdf (SOC 2 report).');
    const fileQuestions = portal.locator('.question[data-type="file"]:not([hidden])');
    for (let i = 0; i < (await fileQuestions.count()); i++) await fileQuestions.nth(i).locator('select').selectOption({ label: 'soc2-report-2027.pdf (SOC 2 report)' });
    await expect.poll(() => portal.locator('#save-state').textContent(), { timeout: 15_000 }).toBe('All changes saved');
    let clicks = 0;
    const confirmButtons = portal.locator('button.confirm-section:visible');
    while ((await confirmButtons.count()) > 0) {
      const button = confirmButtons.first();
      const sectionId = await button.evaluate((b) => b.closest('details')?.id ?? '');
      await button.click();
      clicks += 1;
      // Confirmed: the section folds away with its status saying so, the focus on its heading.
      await expect.poll(() => portal.locator(`#${sectionId}-status`).textContent(), { timeout: 10_000 }).toContain('Confirmed unchanged');
      expect(await portal.locator(`#${sectionId}`).getAttribute('open')).toBeNull();
      expect(clicks).toBeLessThanOrEqual(carriedSections.length);
    }
    expect(clicks).toBeGreaterThan(3);
    // The list of what was open followed along: nothing is left in it.
    expect(await portal.locator('#missing').textContent()).toBe('Everything is answered and confirmed: press “Review and submit”.');
    expect(await portal.locator('.section-error:not(:empty)').count()).toBe(0);
    await screenshotAtWidths(portal, 'reassess-02-sections-confirmed');

    await portal.getByRole('button', { name: 'Review and submit' }).click();
    await portal.getByRole('button', { name: 'Submit now' }).click();
    await expect.poll(() => portal.locator('#locked-note').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await portal.evaluate(() => document.activeElement?.id)).toBe('submit-done');
    await screenshotAtWidths(portal, 'reassess-03-submitted');
    expect(errors).toEqual([]);

    // Security: what changed, then the decision.
    await stack.settle();
    const security = await stack.tokenFor('security');
    const changes = (await (await stack.call('GET', `/api/assessments/${secondId}/changes`, { token: security })).json()) as Changes;
    expect(changes.previous?.assessmentId).toBe(firstId);
    expect(changes.sections.filter((s) => s.review === 'confirmed')).toHaveLength(clicks);
    expect(changes.sections.filter((s) => s.review === 'unconfirmed')).toEqual([]);
    // Only the file answers changed: they now name the new report.
    const fileQuestionIds = new Set(apiView.questionnaires.flatMap((q) => q.template.sections.flatMap((s) => s.questions.filter((x) => x.type === 'file').map((x) => `${q.template.id}/${x.id}`))));
    expect(changes.answers.length).toBeGreaterThan(0);
    expect(changes.answers.filter((a) => !fileQuestionIds.has(`${a.templateId}/${a.questionId}`))).toEqual([]);
    expect(changes.score.delta).toBe(changes.score.after === null || changes.score.before === null ? null : changes.score.after - changes.score.before);
    // Security in Chromium: the "what changed" panel says what the API said, and the decision is taken on the page.
    expect((await assessmentOf(stack, secondId)).assessment.status).toBe('awaiting-review');
    const staff = await context.newPage();
    staff.on('pageerror', (error) => errors.push(error.message));
    await staff.goto('/sign-in');
    await staff.getByRole('button', { name: 'Sign in as security' }).click();
    await staff.waitForURL((url) => url.pathname !== '/sign-in');
    await staff.goto(`/assessments/${secondId}`);
    const panel = staff.locator('#changes');
    await expect.poll(() => panel.locator('dl').count(), { timeout: 15_000 }).toBe(1);
    const panelText = (await panel.textContent())!;
    // The sections holding the file questions were edited by the upload of the new report.
    const edited = changes.sections.filter((x) => x.review === 'edited').length;
    expect(panelText).toContain(`${clicks} confirmed unchanged, ${edited} edited, 0 not reviewed`);
    if (changes.score.before !== null && changes.score.after !== null) expect(panelText).toContain(`${changes.score.before} → ${changes.score.after}`);
    expect(await panel.getByRole('link').first().getAttribute('href')).toBe(`/assessments/${firstId}`);
    await screenshotAtWidths(staff, 'reassess-04-what-changed');
    await staff.locator('#f-comment').fill('Reassessed: sections confirmed unchanged, the new report reviewed.');
    await staff.getByRole('button', { name: 'Record the decision' }).click();
    await expect.poll(() => staff.locator('#decision-status').textContent(), { timeout: 15_000 }).toBe('Decision recorded: Approved.');
    await stack.settle();
    expect((await assessmentOf(stack, secondId)).assessment.status).toBe('approved');
  });
});
