/**
 * The daily sweep: starts reassessments that fall due and warns about evidence that is about to go stale.
 * EventBridge Scheduler runs it in AWS; a timer in the local server runs it on a laptop.
 */
import { getTemplate, selectTemplates } from '../../questionnaires/library.ts';
import { addDays, addMonths, AssessmentOpenError, newAssessment, type TemplateRef } from '../domain/assessment.ts';
import { TrustgateError } from '../domain/errors.ts';
import { latestPeriodEnd } from '../domain/evidence.ts';
import { RISK_POLICY } from '../domain/risk/risk-policy.ts';
import type { Vendor } from '../domain/vendor.ts';
import { assessmentUrl } from './assessment-store.ts';
import { eventOf, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { startWorkflowOrWithdraw } from './assessments.ts';
import { listAllVendors } from './vendors.ts';
import { carryOverEvidence, initialAnswerSheet } from './reassessment.ts';

export interface SweepReport {
  today: string;
  vendorsChecked: number;
  reassessmentsStarted: { vendorId: string; assessmentId: string }[];
  /** Assessments that were left without a workflow (the process died between recording and starting it). */
  workflowsStarted: string[];
  noticesSent: { vendorId: string; kind: 'report-expiring' | 'bridge-lapsing'; detail: string }[];
}

/** Days before evidence goes stale that procurement is told. */
export const NOTICE_DAYS = 30;
/** A reassessment gives the vendor this long to answer. */
export const REASSESSMENT_DUE_DAYS = 30;

export async function runDailySweep(deps: AppDeps): Promise<SweepReport> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  const report: SweepReport = { today, vendorsChecked: 0, reassessmentsStarted: [], workflowsStarted: [], noticesSent: [] };
  await startUnstartedWorkflows(deps, report);
  const vendors = await listAllVendors(deps);
  const summaries = await deps.assessments.getVendorRiskSummaries(vendors.map((v) => v.id));
  for (const vendor of vendors) {
    if (vendor.status === 'offboarded') continue;
    report.vendorsChecked++;
    const summary = summaries.get(vendor.id);
    if (!summary) continue;
    const open = await deps.assessments.listAssessments({ vendorId: vendor.id, openOnly: true }, { limit: 1 });
    if (summary.nextReviewDate && summary.nextReviewDate <= today && open.items.length === 0) {
      try {
        const started = await startReassessment(deps, vendor, summary.assessmentId, today);
        report.reassessmentsStarted.push({ vendorId: vendor.id, assessmentId: started });
      } catch (error) {
        // Started by someone else meanwhile: one open assessment per vendor.
        if (!(error instanceof AssessmentOpenError)) throw error;
      }
      continue;
    }
    await noticeExpiringEvidence(deps, vendor, summary.assessmentId, today, report);
  }
  return report;
}

async function startReassessment(deps: AppDeps, vendor: Vendor, previousId: string, today: string): Promise<string> {
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
  await deps.assessments.insertAssessment(
    assessment,
    sheet,
    eventOf(deps, SYSTEM, 'assessment.started', { type: 'assessment', id: assessment.id }, `Reassessment of ${vendor.name}: the review fell due (previous assessment ${previousId})`, { targetVersion: 1, at: now }),
  );
  await carryOverEvidence(deps, sheet);
  await startWorkflowOrWithdraw(deps, assessment.id);
  return assessment.id;
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
    const page = await deps.assessments.listAssessments({ status: 'inviting' }, { limit: 100, ...(cursor ? { cursor } : {}) });
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

async function noticeExpiringEvidence(deps: AppDeps, vendor: Vendor, assessmentId: string, today: string, report: SweepReport): Promise<void> {
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
    const fresh = await deps.assessments.recordNotice({ vendorId: vendor.id, kind: notice.kind, on: notice.on, at: deps.clock.now().toISOString() });
    if (!fresh) continue;
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(assessment.requestedBy)) {
      await deps.mailer.sendMail({
        to: [assessment.requestedBy],
        purpose: notice.kind,
        subject: `Evidence for ${vendor.name} goes stale soon`,
        text: `For ${vendor.name}, ${notice.detail}. Ask the vendor for a newer report or a bridge letter, or start a reassessment.\n\n${assessmentUrl(deps, assessmentId)}`,
      });
    }
    report.noticesSent.push({ vendorId: vendor.id, kind: notice.kind, detail: notice.detail });
  }
}
