/**
 * Residual risk for an assessment: the workflow's Score step, the score with its contributions, findings and
 * CUEC tasks with their lifecycles, rating overrides, and the risk register.
 */
import { getTemplate } from '../../questionnaires/library.ts';
import { transition, type Assessment } from '../domain/assessment.ts';
import { ConcurrentUpdateError, NotFoundError, TrustgateError } from '../domain/errors.ts';
import { effectiveAnalysis } from '../domain/evidence.ts';
import type { Principal } from '../domain/roles.ts';
import { allowsAutoApproval, summarize, type RiskRecord } from '../domain/risk-record.ts';
import { applyTaskTransition, cuecTasksFrom, type CuecTask, type CuecTaskAction } from '../domain/risk/cuec-tasks.ts';
import { applyFindingTransition, generateFindings, reconcileFindings, type Finding, type FindingAction } from '../domain/risk/findings.ts';
import { questionnaireEvidenceFrom } from '../domain/risk/questionnaire-evidence.ts';
import { overrideRating } from '../domain/risk/rating-override.ts';
import { scoreResidualRisk } from '../domain/risk/residual-risk.ts';
import { RISK_POLICY } from '../domain/risk/risk-policy.ts';
import { overrideScopeFit, type ScopeFit, type ScopeFitOverride } from '../domain/risk/scope-fit.ts';
import type { RiskRating } from '../domain/risk/risk-policy.ts';
import type { ResidualRiskInput } from '../domain/risk/evidence-assessment.ts';
import type { Vendor } from '../domain/vendor.ts';
import { AssessmentCancelledError } from '../domain/workflow.ts';
import { changeAssessment, loadAssessment } from './assessment-store.ts';
import { eventOf, staffActor, SYSTEM, type Actor } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { getVendor } from './vendors.ts';
import { addDays } from '../domain/assessment.ts';
import { organizationKey } from '../domain/soc2/names/canonical-names.ts';
import { currentReportDocuments, dependenciesFrom, type FourthPartyDependency } from '../domain/fourth-parties.ts';
import { dashboardFrom, monthsFromTo, planRegisterQuery, type RegisterDashboard, type RegisterLine, type RegisterQuery, type RegisterSort } from '../domain/risk-register.ts';
import type { Page } from '../ports/page.ts';

export interface ScoreStepResult {
  autoApprove: boolean;
  rating: RiskRating;
  score: number;
}

/** The evidence the risk model reads for an assessment: profile, analyzed documents (as corrected), submitted answers. */
async function riskInput(deps: AppDeps, assessmentId: string, asOf: string, scopeFitOverride: ScopeFitOverride | null): Promise<{ input: ResidualRiskInput; vendor: Vendor; assessment: Assessment; unreadable: string[] }> {
  const assessment = await loadAssessment(deps, assessmentId);
  const [vendor, sheet, documents] = await Promise.all([getVendor(deps, assessment.vendorId), deps.assessments.getAnswerSheet(assessmentId), deps.assessments.listDocuments(assessmentId)]);
  return {
    vendor,
    assessment,
    unreadable: documents.filter((d) => d.analysisStatus === 'failed').map((d) => d.fileName),
    input: {
      vendor,
      documents: documents.flatMap((d) => {
        const analysis = d.analysisStatus === 'analyzed' ? effectiveAnalysis(d) : null;
        return analysis ? [{ documentId: d.id, fileName: d.fileName, analysis, uploadedAt: d.uploadedAt }] : [];
      }),
      questionnaires: assessment.templates.flatMap((ref) => {
        const template = getTemplate(ref.id);
        return template ? [questionnaireEvidenceFrom(template, sheet?.answers[ref.id] ?? {})] : [];
      }),
      asOf,
      scopeFitOverride,
    },
  };
}

/** The risk record the model computes now from the evidence: findings reconciled with `previous`, overrides and task progress kept. */
async function computeRiskRecord(
  deps: AppDeps,
  assessmentId: string,
  previous: RiskRecord | null,
  now: string,
): Promise<{ record: RiskRecord; added: string[]; noLongerRaised: string[]; assessment: Assessment; subservices: string[]; unreadable: string[]; fourthParties: FourthPartyDependency[] }> {
  const scopeFitOverride = previous?.scopeFitOverride ?? null;
  const { input, assessment, unreadable } = await riskInput(deps, assessmentId, now.slice(0, 10), scopeFitOverride);
  const score = scoreResidualRisk(input);
  const { findings, added, noLongerRaised } = reconcileFindings(previous?.findings ?? [], generateFindings(input), now, 'trustgate risk model');
  const known = new Map((previous?.tasks ?? []).map((t) => [t.id, t]));
  const tasks = cuecTasksFrom(input.documents).map((t) => known.get(t.id) ?? t);
  const record: RiskRecord = {
    assessmentId,
    vendorId: assessment.vendorId,
    score: { ...score, override: previous?.score?.override ?? null },
    findings,
    tasks,
    scopeFitOverride,
    version: (previous?.version ?? 0) + 1,
    updatedAt: now,
  };
  // The providers of the current report only: a reassessment's carried-over older report no longer counts once a newer one is in.
  const current = currentReportDocuments(input, RISK_POLICY);
  return { record, added, noLongerRaised, assessment, subservices: subservicesNamed(current), fourthParties: dependenciesFrom(current), unreadable };
}

/** The subservice organizations the analyzed evidence names, one entry per organization. */
function subservicesNamed(documents: ResidualRiskInput['documents']): string[] {
  const byKey = new Map<string, string>();
  for (const d of documents) for (const s of d.analysis.subserviceOrganizations ?? []) if (!byKey.has(organizationKey(s.name))) byKey.set(organizationKey(s.name), s.name.trim());
  return [...byKey.values()].sort();
}

/** Score step: computes the score, reconciles findings and CUEC tasks, stores them, and says whether policy auto-approves. */
export async function scoreAssessment(deps: AppDeps, assessmentId: string): Promise<ScoreStepResult> {
  const now = deps.clock.now().toISOString();
  const previous = await deps.assessments.getRiskRecord(assessmentId);
  const { record, added, assessment, subservices, unreadable, fourthParties } = await computeRiskRecord(deps, assessmentId, previous, now);
  const score = record.score!;
  await deps.assessments.putRiskRecord(
    record,
    previous?.version ?? null,
    eventOf(deps, SYSTEM, 'assessment.scored', { type: 'assessment', id: assessmentId }, `Residual risk ${score.score} (${score.rating}) under policy ${score.policyVersion}; ${record.findings.length} finding(s), ${added.length} new; ${record.tasks.length} CUEC task(s)`, { at: now }),
    { summary: summarize(record, assessment, now), subservices, fourthParties },
  );
  const autoApprove = allowsAutoApproval(record, unreadable);
  // The register line follows the assessment's move in the same write (AssessmentRepository.replaceAssessment).
  if (!autoApprove) {
    await changeAssessment(deps, assessmentId, SYSTEM, 'assessment.review-requested', (a, at) => {
      if (a.status === 'cancelled') throw new AssessmentCancelledError(a.id);
      // A re-run of the step (after a crash) finds the assessment waiting for review already.
      if (a.status === 'awaiting-review') return null;
      const unread = unreadable.length ? `; not approved automatically: ${unreadable.join(', ')} could not be read` : '';
      return { next: transition(a, 'awaiting-review', at), summary: `Waiting for security review (residual risk ${score.rating}${unread})` };
    });
  }
  return { autoApprove, rating: score.rating, score: score.score };
}

/**
 * Scores a scored assessment again after its evidence changed (a correction of extracted facts), exactly as the
 * Score step does, without moving the assessment. Null when it was never scored (the Score step will read the
 * corrected facts when it runs).
 */
export async function rescoreAssessment(deps: AppDeps, actor: Actor, assessmentId: string, cause: string): Promise<RiskRecord | null> {
  for (let attempt = 1; ; attempt++) {
    const previous = await deps.assessments.getRiskRecord(assessmentId);
    if (!previous) return null;
    const now = deps.clock.now().toISOString();
    const { record, added, noLongerRaised, assessment, subservices, fourthParties } = await computeRiskRecord(deps, assessmentId, previous, now);
    const before = previous.score ? `${previous.score.score} (${previous.score.rating})` : 'none';
    const after = `${record.score!.score} (${record.score!.rating})`;
    const summary = `${cause}: residual risk ${before} → ${after}; ${added.length} new finding(s)${noLongerRaised.length ? `, ${noLongerRaised.length} no longer raised (${noLongerRaised.join(', ')})` : ''}`;
    const changes = { score: { from: previous.score?.score ?? null, to: record.score!.score }, rating: { from: previous.score?.rating ?? null, to: record.score!.rating } };
    try {
      await deps.assessments.putRiskRecord(record, previous.version, eventOf(deps, actor, 'assessment.rescored', { type: 'assessment', id: assessmentId }, summary, { changes, at: now }), {
        summary: summarize(record, assessment, now),
        subservices,
        fourthParties,
      });
      return record;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 4) continue;
      throw error;
    }
  }
}

export async function getRiskRecord(deps: AppDeps, assessmentId: string): Promise<RiskRecord> {
  await loadAssessment(deps, assessmentId);
  const record = await deps.assessments.getRiskRecord(assessmentId);
  if (!record) throw new NotFoundError('Score of assessment', assessmentId);
  return record;
}

/** Changes the risk record with a pure function, conditional on its version, retrying on concurrent changes. */
async function changeRiskRecord(deps: AppDeps, assessmentId: string, actor: Actor, action: string, change: (record: RiskRecord, now: string) => { next: RiskRecord; summary: string }): Promise<RiskRecord> {
  for (let attempt = 1; ; attempt++) {
    const current = await getRiskRecord(deps, assessmentId);
    const assessment = await loadAssessment(deps, assessmentId);
    const now = deps.clock.now().toISOString();
    const { next, summary } = change(current, now);
    const stored = { ...next, version: current.version + 1, updatedAt: now };
    try {
      await deps.assessments.putRiskRecord(stored, current.version, eventOf(deps, actor, action, { type: 'assessment', id: assessmentId }, summary, { at: now }), { summary: summarize(stored, assessment, now) });
      return stored;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 4) continue;
      throw error;
    }
  }
}

const actorLabel = (p: Principal) => p.email ?? p.subject;

export async function updateFinding(deps: AppDeps, principal: Principal, assessmentId: string, findingId: string, action: FindingAction): Promise<Finding> {
  const record = await changeRiskRecord(deps, assessmentId, staffActor(principal), `finding.${action.kind}`, (r, now) => {
    const finding = r.findings.find((f) => f.id === findingId);
    if (!finding) throw new NotFoundError('Finding', findingId);
    const next = applyFindingTransition(finding, action, now, actorLabel(principal));
    return { next: { ...r, findings: r.findings.map((f) => (f.id === findingId ? next : f)) }, summary: `Finding "${finding.title}": ${finding.status} → ${next.status}` };
  });
  return record.findings.find((f) => f.id === findingId)!;
}

export async function updateTask(deps: AppDeps, principal: Principal, assessmentId: string, taskId: string, action: CuecTaskAction): Promise<CuecTask> {
  const record = await changeRiskRecord(deps, assessmentId, staffActor(principal), `cuec-task.${action.kind}`, (r, now) => {
    const task = r.tasks.find((t) => t.id === taskId);
    if (!task) throw new NotFoundError('CUEC task', taskId);
    const next = applyTaskTransition(task, action, now, actorLabel(principal));
    return { next: { ...r, tasks: r.tasks.map((t) => (t.id === taskId ? next : t)) }, summary: `CUEC task "${task.text.slice(0, 80)}": ${task.status} → ${next.status}` };
  });
  return record.tasks.find((t) => t.id === taskId)!;
}

/** Security overrides the computed rating; both stay visible. */
export async function overrideAssessmentRating(deps: AppDeps, principal: Principal, assessmentId: string, request: { rating: RiskRating; justification: string }): Promise<RiskRecord> {
  return changeRiskRecord(deps, assessmentId, staffActor(principal), 'score.overridden', (r, now) => {
    if (!r.score) throw new NotFoundError('Score of assessment', assessmentId);
    const score = overrideRating(r.score, { ...request, actor: actorLabel(principal), at: now });
    return { next: { ...r, score }, summary: `Rating overridden: computed ${r.score.rating}, now ${request.rating}. ${request.justification}` };
  });
}

/** The scope fit of the assessment's last score: what the report covers against what we buy, each point cited. */
export async function getScopeFit(deps: AppDeps, assessmentId: string): Promise<ScopeFit> {
  const record = await getRiskRecord(deps, assessmentId);
  if (!record.score?.scopeFit) throw new NotFoundError('Scope fit of assessment', assessmentId);
  return record.score.scopeFit;
}

/**
 * Security sets the scope-fit verdict with a reason: the score and findings are computed again with it at once (a
 * mismatch's penalty and finding come or go) and the change is audited as scope-fit.overridden.
 */
export async function overrideAssessmentScopeFit(deps: AppDeps, principal: Principal, assessmentId: string, request: { verdict: string; reason: string }): Promise<ScopeFit> {
  for (let attempt = 1; ; attempt++) {
    const previous = await getRiskRecord(deps, assessmentId);
    const before = previous.score?.scopeFit;
    if (!previous.score || !before) throw new NotFoundError('Scope fit of assessment', assessmentId);
    const now = deps.clock.now().toISOString();
    const override = overrideScopeFit(before, { ...request, actor: actorLabel(principal), at: now }, RISK_POLICY);
    const { record, assessment, subservices, fourthParties } = await computeRiskRecord(deps, assessmentId, { ...previous, scopeFitOverride: override }, now);
    const after = record.score!;
    const summary = `Scope fit set to ${override.verdict} (computed: ${override.computedVerdict}); residual risk ${previous.score.score} → ${after.score}. ${override.reason}`;
    const changes = { scopeFitVerdict: { from: before.verdict, to: after.scopeFit.verdict }, score: { from: previous.score.score, to: after.score } };
    try {
      await deps.assessments.putRiskRecord(record, previous.version, eventOf(deps, staffActor(principal), 'scope-fit.overridden', { type: 'assessment', id: assessmentId }, summary, { changes, at: now }), {
        summary: summarize(record, assessment, now),
        subservices,
        fourthParties,
      });
      return after.scopeFit;
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < 4) continue;
      throw error;
    }
  }
}

export const REGISTER_PAGE_MAX = 100;
/** Reviews due within this many days count as due on the dashboard. */
export const REVIEW_DUE_WITHIN_DAYS = 30;

export interface RegisterRequest {
  rating?: RiskRating | 'unrated';
  tier?: 1 | 2 | 3 | 4;
  overdueReview?: boolean;
  sort: RegisterSort;
  order: 'asc' | 'desc';
}

export function registerQuery(deps: Pick<AppDeps, 'clock'>, request: RegisterRequest): RegisterQuery {
  const today = deps.clock.now().toISOString().slice(0, 10);
  return {
    sort: request.sort,
    order: request.order,
    ...(request.rating ? { rating: request.rating } : {}),
    ...(request.tier ? { tier: request.tier } : {}),
    ...(request.overdueReview ? { reviewOnOrBefore: today } : {}),
  };
}

/** One page of the risk register, filtered and sorted on the server (`unsupported-register-query` for a combination no view serves). */
export async function riskRegisterPage(deps: Pick<AppDeps, 'register' | 'clock'>, request: RegisterRequest, page: { limit: number; cursor?: string }): Promise<Page<RegisterLine>> {
  return deps.register.listRegisterLines(planRegisterQuery(registerQuery(deps, request)), page);
}

/** Every page of the register in order, one page in memory at a time (for the CSV export). */
export async function* riskRegisterPages(deps: Pick<AppDeps, 'register' | 'clock'>, request: RegisterRequest): AsyncGenerator<RegisterLine[]> {
  const plan = planRegisterQuery(registerQuery(deps, request));
  let cursor: string | undefined;
  do {
    const page = await deps.register.listRegisterLines(plan, { limit: REGISTER_PAGE_MAX, ...(cursor ? { cursor } : {}) });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The register lines of the vendors on a page of another list (vendors, review queue): one batched read. */
export async function registerLinesOf(deps: Pick<AppDeps, 'register'>, vendorIds: string[]): Promise<RegisterLine[]> {
  return deps.register.getRegisterLines(vendorIds);
}

/** The dashboard's portfolio figures from the maintained counts: a fixed number of reads at any portfolio size. */
export async function registerDashboard(deps: Pick<AppDeps, 'register' | 'clock'>): Promise<RegisterDashboard> {
  const today = deps.clock.now().toISOString().slice(0, 10);
  const dueUntil = addDays(today, REVIEW_DUE_WITHIN_DAYS);
  return dashboardFrom(await deps.register.portfolioCounts(monthsFromTo(today, dueUntil)), today, dueUntil, REVIEW_DUE_WITHIN_DAYS);
}

type CsvColumn = keyof RegisterLine;
const CSV_COLUMNS: CsvColumn[] = ['vendorName', 'tier', 'criticality', 'status', 'rating', 'computedRating', 'overridden', 'score', 'openFindings', 'highestOpenSeverity', 'nextReviewDate', 'assessmentStatus', 'vendorId', 'assessmentId', 'fourthParties'];

/** A cell's text: the fourth parties are the providers' names (a line written before them: its subservice names). */
const cellText = (line: RegisterLine, column: CsvColumn): string => {
  if (column === 'fourthParties') return (line.fourthParties?.map((d) => d.provider) ?? line.subservices).join('; ');
  const value = line[column];
  return value === null || value === undefined ? '' : Array.isArray(value) ? value.join('; ') : String(value);
};

const csvCell = (line: RegisterLine, column: CsvColumn) => {
  let text = cellText(line, column);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The CSV header line. */
export const registerCsvHeader = () => CSV_COLUMNS.join(',') + '\r\n';

/** CSV lines of one page of the register; cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export const registerCsvLines = (lines: RegisterLine[]) => lines.map((l) => CSV_COLUMNS.map((c) => csvCell(l, c)).join(',') + '\r\n').join('');

/**
 * The whole CSV of the register in one answer, refused (`register-csv-too-large`, 422) as soon as it passes
 * `maxBytes`: where an answer is buffered (AWS: 6 MB at most), a larger register is exported as a job instead.
 */
export async function registerCsvWithin(deps: Pick<AppDeps, 'register' | 'clock'>, request: RegisterRequest, maxBytes: number): Promise<string> {
  const parts = [registerCsvHeader()];
  let bytes = Buffer.byteLength(parts[0]!, 'utf8');
  for await (const lines of riskRegisterPages(deps, request)) {
    const part = registerCsvLines(lines);
    parts.push(part);
    bytes += Buffer.byteLength(part, 'utf8');
    if (bytes > maxBytes) {
      throw new TrustgateError(
        'register-csv-too-large',
        `The register's CSV is over ${Math.floor(maxBytes / 1_000_000)} MB, more than one answer can carry here: export it with POST /api/risk-register/exports and download the file from the link it gives`,
      );
    }
  }
  return parts.join('');
}

