/**
 * The daily sweep: starts reassessments that fall due and warns about evidence that is about to go stale.
 * EventBridge Scheduler runs it in AWS; a timer in the local server runs it on a laptop.
 *
 * It reads only the vendors whose watch day has come (the sparse index behind `SweepSchedule`), processes them in
 * batches with bounded concurrency, and is idempotent per vendor per day: each vendor is claimed for the day first,
 * its reassessment start is guarded by the vendor's one-open-assessment marker and each notice by its own record, and
 * the watch day moves on last. A run that dies part-way leaves the vendors it finished off the due list and the one
 * it was on claimed; the next run (a retry, tomorrow's run, `POST /api/admin/sweep`) takes over what is left.
 */
import { getTemplate, selectTemplates } from '../../questionnaires/library.ts';
import { addDays, addMonths, AssessmentOpenError, newAssessment, type TemplateRef } from '../domain/assessment.ts';
import { TrustgateError } from '../domain/errors.ts';
import { latestPeriodEnd } from '../domain/evidence.ts';
import { RISK_POLICY } from '../domain/risk/risk-policy.ts';
import { nextWatchDay, NOTICE_DAYS, REASSESSMENT_DUE_DAYS, type ReviewSchedule } from '../domain/review-schedule.ts';
import { assessmentUrl } from './assessment-store.ts';
import { eventOf, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import type { SweepBatch, SweepBatchQueue } from '../ports/sweep-queue.ts';
import { startWorkflowOrWithdraw } from './assessments.ts';
import { carryOverEvidence, initialAnswerSheet } from './reassessment.ts';

export { NOTICE_DAYS, REASSESSMENT_DUE_DAYS };

export interface SweepReport {
  today: string;
  /** Vendors read from the due list (their watch day had come). */
  vendorsChecked: number;
  reassessmentsStarted: { vendorId: string; assessmentId: string }[];
  /** Assessments that were left without a workflow (the process died between recording and starting it). */
  workflowsStarted: string[];
  noticesSent: { vendorId: string; kind: 'report-expiring' | 'bridge-lapsing'; detail: string }[];
}

export type { SweepBatch };

export const SWEEP_LIMITS = {
  /** Vendors per batch. */
  batchSize: 25,
  /** Vendors of one batch swept at the same time (each is a few reads and at most a few writes). */
  concurrency: 8,
  /** Batches swept at the same time by one process. */
  parallelBatches: 2,
  /** A claim older than this whose run did not finish the vendor is taken over (the run died). */
  claimLeaseSeconds: 300,
} as const;

const emptyReport = (today: string): SweepReport => ({ today, vendorsChecked: 0, reassessmentsStarted: [], workflowsStarted: [], noticesSent: [] });

function merge(into: SweepReport, from: SweepReport): void {
  into.vendorsChecked += from.vendorsChecked;
  into.reassessmentsStarted.push(...from.reassessmentsStarted);
  into.workflowsStarted.push(...from.workflowsStarted);
  into.noticesSent.push(...from.noticesSent);
}

/** A run's first part, inline or fanned out: its day and id, the unstarted workflows started, the due list in batches. */
async function startSweep(deps: AppDeps): Promise<{ today: string; runId: string; report: SweepReport; batches: SweepBatch[] }> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  const runId = deps.ids.newId();
  const report = emptyReport(today);
  await startUnstartedWorkflows(deps, report);
  const batches: SweepBatch[] = [];
  for await (const batch of dueVendorBatches(deps, today, runId)) batches.push(batch);
  return { today, runId, report, batches };
}

/** The whole sweep in this process: unstarted workflows, then every due vendor, batch by batch. */
export async function runDailySweep(deps: AppDeps): Promise<SweepReport> {
  const { report, batches } = await startSweep(deps);
  await inParallel(batches, SWEEP_LIMITS.parallelBatches, async (batch) => merge(report, await sweepVendorBatch(deps, batch)));
  return report;
}

/** What planning a day's sweep did: the unstarted workflows started, and the batches handed to the workers. */
export interface SweepPlan {
  today: string;
  runId: string;
  workflowsStarted: string[];
  batches: number;
  vendors: number;
}

/**
 * The sweep fanned out (AWS, docs/adr/0014): unstarted workflows, then the due list cut into batches and handed to the
 * queue; each batch is swept by `sweepVendorBatch` where the queue delivers it. Run again the same day (the
 * scheduler's retry), it sends the vendors still due; those already swept are off the list, those sent twice are
 * skipped by their claims.
 */
export async function planDailySweep(deps: AppDeps, queue: SweepBatchQueue): Promise<SweepPlan> {
  const { today, runId, report, batches } = await startSweep(deps);
  await queue.sendBatches(batches);
  return { today, runId, workflowsStarted: report.workflowsStarted, batches: batches.length, vendors: batches.reduce((n, b) => n + b.vendorIds.length, 0) };
}

/**
 * The due list cut into batches: every vendor whose watch day is `today` or earlier, read from the sparse index (the
 * only read the planning does). The list is read to the end before any batch runs, because sweeping moves vendors off it.
 */
export async function* dueVendorBatches(deps: Pick<AppDeps, 'sweepSchedule'>, today: string, runId: string): AsyncGenerator<SweepBatch> {
  const due: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.sweepSchedule.listSchedulesDueBy(today, { limit: 100, ...(cursor ? { cursor } : {}) });
    due.push(...page.items.map((s) => s.vendorId));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  for (let i = 0; i < due.length; i += SWEEP_LIMITS.batchSize) yield { today, runId, vendorIds: due.slice(i, i + SWEEP_LIMITS.batchSize) };
}

/** Sweeps one batch of vendors, a bounded number at a time. Safe to run again (an SQS redelivery, a retry). */
export async function sweepVendorBatch(deps: AppDeps, batch: SweepBatch): Promise<SweepReport> {
  const report = emptyReport(batch.today);
  await inParallel(batch.vendorIds, SWEEP_LIMITS.concurrency, (vendorId) => sweepVendor(deps, vendorId, batch, report));
  return report;
}

async function sweepVendor(deps: AppDeps, vendorId: string, batch: SweepBatch, report: SweepReport): Promise<void> {
  const { today } = batch;
  const schedule = await deps.sweepSchedule.getSchedule(vendorId);
  // Swept already (by an earlier run today), or a new decision moved it: nothing due.
  if (!schedule || schedule.watchFrom > today) return;
  const claim = await deps.sweepSchedule.claimVendorSweep({ vendorId, day: today, runId: batch.runId, at: deps.clock.now().toISOString(), leaseSeconds: SWEEP_LIMITS.claimLeaseSeconds });
  if (claim === 'busy') return;
  if (claim !== 'done') {
    report.vendorsChecked++;
    const vendor = await deps.vendors.getVendor(vendorId);
    if (vendor && vendor.status !== 'offboarded') {
      const open = await deps.assessments.listAssessments({ vendorId, openOnly: true }, { limit: 1 });
      if (schedule.nextReviewDate <= today) {
        if (open.items.length === 0) await startReassessment(deps, vendor, schedule, today, report);
      } else {
        await noticeExpiringEvidence(deps, vendor, schedule.assessmentId, today, claim === 'taken-over', report);
      }
    }
  }
  // Last: the vendor leaves the due list only once everything above is done.
  await deps.sweepSchedule.moveWatchDay(schedule, nextWatchDay(schedule, today));
  await deps.sweepSchedule.finishVendorSweep({ vendorId, day: today, runId: batch.runId, at: deps.clock.now().toISOString() });
}

async function startReassessment(deps: AppDeps, vendor: NonNullable<Awaited<ReturnType<AppDeps['vendors']['getVendor']>>>, schedule: ReviewSchedule, today: string, report: SweepReport): Promise<void> {
  const previousId = schedule.assessmentId;
  const previous = await deps.assessments.getAssessment(previousId);
  const refs: TemplateRef[] = selectTemplates({ tier: vendor.inherentRisk.tier, dataTypes: vendor.dataTypes, criticality: vendor.criticality }).map((t) => ({ id: t.templateId, version: getTemplate(t.templateId)!.version }));
  const now = deps.clock.now().toISOString();
  const assessment = newAssessment({
    id: deps.ids.newId(),
    vendor: { id: vendor.id, name: vendor.name, contactEmail: vendor.contactEmail, tier: vendor.inherentRisk.tier },
    templates: refs,
    dueDate: addDays(today, REASSESSMENT_DUE_DAYS),
    requestedBy: previous?.requestedBy ?? 'trustgate',
    now,
  });
  const sheet = await initialAnswerSheet(deps, vendor, assessment.id, refs);
  try {
    await deps.assessments.insertAssessment(
      assessment,
      sheet,
      eventOf(deps, SYSTEM, 'assessment.started', { type: 'assessment', id: assessment.id }, `Reassessment of ${vendor.name}: the review fell due (previous assessment ${previousId})`, { targetVersion: 1, at: now }),
    );
  } catch (error) {
    // Started by someone else meanwhile (or by a run that died before it moved the watch day): one open per vendor.
    if (error instanceof AssessmentOpenError) return;
    throw error;
  }
  await carryOverEvidence(deps, sheet);
  await startWorkflowOrWithdraw(deps, assessment.id);
  report.reassessmentsStarted.push({ vendorId: vendor.id, assessmentId: assessment.id });
}

/** How long an assessment may sit in `inviting` before the sweep takes it for one whose workflow never started. */
export const UNSTARTED_AFTER_MINUTES = 10;

/**
 * Starts the workflow of every assessment still `inviting` a while after its last change: one whose start was
 * recorded but never made (the process died in between). Starting is idempotent (one execution per assessment),
 * so an assessment whose workflow does run is left as it is.
 */
async function startUnstartedWorkflows(deps: AppDeps, report: SweepReport): Promise<void> {
  const cutoff = new Date(deps.clock.now().getTime() - UNSTARTED_AFTER_MINUTES * 60_000).toISOString();
  let cursor: string | undefined;
  do {
    // Only open assessments in `inviting` are read (a sparse index), not every assessment ever made.
    const page = await deps.sweepSchedule.listOpenAssessmentsDueBy('inviting', null, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const assessment of page.items.filter((a) => a.updatedAt < cutoff)) {
      try {
        await deps.workflow.startExecution({ assessmentId: assessment.id, settings: deps.workflowSettings });
        report.workflowsStarted.push(assessment.id);
      } catch (error) {
        // Its execution ran already and ended: nothing to start.
        if (!(error instanceof TrustgateError && error.code === 'execution-exists')) throw error;
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

async function noticeExpiringEvidence(deps: AppDeps, vendor: { id: string; name: string }, assessmentId: string, today: string, resuming: boolean, report: SweepReport): Promise<void> {
  const assessment = await deps.assessments.getAssessment(assessmentId);
  if (!assessment) return;
  const documents = await deps.assessments.listDocuments(assessmentId);
  const soc2End = latestPeriodEnd(documents, 'soc2');
  const bridgeEnd = latestPeriodEnd(documents, 'bridge-letter');
  const horizon = addDays(today, NOTICE_DAYS);
  const notices: { kind: 'report-expiring' | 'bridge-lapsing'; on: string; detail: string }[] = [];
  if (soc2End) {
    const staleAfter = RISK_POLICY.assurance.staleness.staleAfterMonths;
    const expires = addMonths(soc2End, staleAfter);
    if (expires <= horizon && expires >= today) notices.push({ kind: 'report-expiring', on: expires, detail: `the SOC 2 report (period ended ${soc2End}) is ${staleAfter} months old on ${expires}` });
  }
  if (bridgeEnd && bridgeEnd <= horizon && bridgeEnd >= addDays(today, -NOTICE_DAYS)) {
    notices.push({ kind: 'bridge-lapsing', on: bridgeEnd, detail: `the bridge letter covers only up to ${bridgeEnd}` });
  }
  for (const notice of notices) {
    const mailKey = `notice:${vendor.id}:${notice.kind}:${notice.on}`;
    const fresh = await deps.assessments.recordNotice({ vendorId: vendor.id, kind: notice.kind, on: notice.on, at: deps.clock.now().toISOString() });
    // Recorded by a run that died before its mail went out: that mail is still owed (and the key keeps it single).
    const owed = !fresh && resuming && !(await deps.mailer.wasSent(mailKey));
    if (!fresh && !owed) continue;
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(assessment.requestedBy)) {
      await deps.mailer.sendMail({
        to: [assessment.requestedBy],
        purpose: notice.kind,
        subject: `Evidence for ${vendor.name} goes stale soon`,
        text: `For ${vendor.name}, ${notice.detail}. Ask the vendor for a newer report or a bridge letter, or start a reassessment.\n\n${assessmentUrl(deps, assessmentId)}`,
        idempotencyKey: mailKey,
      });
    }
    report.noticesSent.push({ vendorId: vendor.id, kind: notice.kind, detail: notice.detail });
  }
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure is thrown once all started work ended. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length) throw errors[0];
}
