/**
 * Reassessment (issue 18, item 2): a new assessment of a vendor opens with the answers of its last approved
 * assessment, and security sees what changed since. The rules are in shared/domain/questionnaire/carry-over.ts.
 */
import { getTemplate } from '../../questionnaires/library.ts';
import type { Assessment, TemplateRef } from '../domain/assessment.ts';
import { NotFoundError } from '../domain/errors.ts';
import { answerChanges, carryOverAnswers, type AnswerChange } from '../domain/questionnaire/carry-over.ts';
import type { QuestionnaireTemplate } from '../domain/questionnaire/template-schema.ts';
import type { Finding } from '../domain/risk/findings.ts';
import type { ScoreContribution } from '../domain/risk/residual-risk.ts';
import type { EvidenceDocument } from '../domain/evidence.ts';
import type { AnswerSheet } from '../ports/assessment-repository.ts';
import type { AppDeps } from './deps.ts';
import { eventOf, SYSTEM } from './audit-events.ts';
import { effectiveAnalysis, MAX_DOCUMENTS_PER_ASSESSMENT } from '../domain/evidence.ts';
import { planEvidenceCarryOver } from '../domain/risk/evidence-carry-over.ts';
import type { Vendor } from '../domain/vendor.ts';
import { loadAssessment } from './assessment-store.ts';

const APPROVED = new Set(['approved', 'approved-with-conditions']);

/** The vendor's most recently decided approved assessment, other than `exceptId`; null when none. */
export async function lastApprovedAssessment(deps: Pick<AppDeps, 'assessments'>, vendorId: string, exceptId?: string): Promise<Assessment | null> {
  let best: Assessment | null = null;
  let cursor: string | undefined;
  do {
    const page = await deps.assessments.listAssessments({ vendorId }, { limit: 50, ...(cursor ? { cursor } : {}) });
    for (const a of page.items) {
      if (a.id === exceptId || !APPROVED.has(a.status) || !a.lastDecision) continue;
      if (!best || a.lastDecision.decidedAt > best.lastDecision!.decidedAt) best = a;
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return best;
}

const templatesOf = (refs: readonly TemplateRef[]): QuestionnaireTemplate[] => refs.map((r) => getTemplate(r.id)).filter((t): t is QuestionnaireTemplate => t !== undefined);

/**
 * The answer sheet a new assessment starts with: empty, or the vendor's last approved answers to confirm or edit,
 * with the plan for that assessment's evidence (fresh: carried over by `carryOverEvidence`; stale: asked again).
 */
export async function initialAnswerSheet(deps: Pick<AppDeps, 'assessments' | 'clock'>, vendor: Vendor, assessmentId: string, refs: readonly TemplateRef[]): Promise<AnswerSheet> {
  const empty: AnswerSheet = { assessmentId, answers: Object.fromEntries(refs.map((t) => [t.id, {}])), version: 1, updatedAt: null, lockedAt: null };
  const previous = await lastApprovedAssessment(deps, vendor.id, assessmentId);
  const previousSheet = previous ? await deps.assessments.getAnswerSheet(previous.id) : null;
  if (!previous || !previousSheet) return empty;
  const answeredOn = (previous.submittedAt ?? previousSheet.lockedAt ?? previous.lastDecision!.decidedAt).slice(0, 10);
  const { answers, carriedOver } = carryOverAnswers({ assessmentId: previous.id, answeredOn, answers: previousSheet.answers }, templatesOf(refs));
  const documents = (await deps.assessments.listDocuments(previous.id)).filter((d) => d.analysisStatus === 'analyzed' && d.analysis);
  const plan = planEvidenceCarryOver({
    vendor,
    documents: documents.map((d) => ({ documentId: d.id, fileName: d.fileName, analysis: effectiveAnalysis(d)!, uploadedAt: d.uploadedAt })),
    asOf: deps.clock.now().toISOString().slice(0, 10),
  });
  const byId = new Map(documents.map((d) => [d.id, d]));
  const evidence = { carried: plan.carry.map((id) => ({ fromDocumentId: id, fileName: byId.get(id)!.fileName })), askAgain: plan.askAgain };
  if (!carriedOver && !evidence.carried.length && !evidence.askAgain.length) return empty;
  return { ...empty, answers: { ...empty.answers, ...answers }, carriedOver: { ...(carriedOver ?? { fromAssessmentId: previous.id, answeredOn, sections: {} }), evidence } };
}

/**
 * Copies the evidence the sheet's plan carries over into the new assessment: same stored file, same analysis (and
 * corrections), so it is neither uploaded nor analysed again. Idempotent: a document already carried is skipped.
 */
export async function carryOverEvidence(deps: AppDeps, sheet: AnswerSheet): Promise<void> {
  const from = sheet.carriedOver;
  if (!from?.evidence?.carried.length) return;
  const existing = await deps.assessments.listDocuments(sheet.assessmentId);
  for (const { fromDocumentId } of from.evidence.carried) {
    if (existing.some((d) => d.carriedOverFrom?.documentId === fromDocumentId)) continue;
    const original = await deps.assessments.getDocument(from.fromAssessmentId, fromDocumentId);
    if (!original) continue;
    const now = deps.clock.now().toISOString();
    const copy: EvidenceDocument = { ...original, id: deps.ids.newId(), assessmentId: sheet.assessmentId, carriedOverFrom: { assessmentId: from.fromAssessmentId, documentId: fromDocumentId }, version: 1 };
    await deps.assessments.insertDocument(
      copy,
      eventOf(deps, SYSTEM, 'document.carried-over', { type: 'assessment', id: sheet.assessmentId }, `Carried over ${original.fileName} (${original.kind}) from assessment ${from.fromAssessmentId}: still fresh under the policy`, { at: now }),
      { maxDocuments: MAX_DOCUMENTS_PER_ASSESSMENT },
    );
  }
}

export interface ContributionChange {
  id: string;
  description: string;
  before: number;
  after: number;
}

export interface AssessmentChanges {
  assessmentId: string;
  /** The approved assessment compared with; null when the vendor has none (then every list is empty). */
  previous: { assessmentId: string; decidedAt: string; decision: string } | null;
  answers: AnswerChange[];
  /** Carried sections and what the vendor did with each (confirmed unchanged, edited, not looked at). */
  sections: { templateId: string; sectionId: string; review: string }[];
  findings: { opened: Pick<Finding, 'id' | 'title' | 'severity'>[]; closed: Pick<Finding, 'id' | 'title' | 'severity'>[] };
  score: { before: number | null; after: number | null; delta: number | null; contributions: ContributionChange[] };
  /** File names of the documents of both assessments by id: a file question's answer is a document id. */
  documentNames: Record<string, string>;
}

/**
 * Contribution and finding ids name documents by id, and the same report has a new id in each assessment: ids are
 * compared with each document id replaced by the file's content hash, so an unchanged report matches itself.
 */
function stableIds(documents: readonly EvidenceDocument[]): (id: string) => string {
  const byId = new Map(documents.map((d) => [d.id, d.sha256]));
  return (id) => id.replace(/doc:([^:]+)/g, (whole, docId: string) => (byId.has(docId) ? `doc:${byId.get(docId)!}` : whole));
}

/** What changed since the vendor's last approved assessment: answers, findings, score and the contributions that moved. */
export async function assessmentChanges(deps: AppDeps, assessmentId: string): Promise<AssessmentChanges> {
  const assessment = await loadAssessment(deps, assessmentId);
  const sheet = await deps.assessments.getAnswerSheet(assessmentId);
  if (!sheet) throw new NotFoundError('Answers of assessment', assessmentId);
  const sections = Object.entries(sheet.carriedOver?.sections ?? {}).flatMap(([templateId, s]) => Object.entries(s).map(([sectionId, review]) => ({ templateId, sectionId, review })));
  const previous = sheet.carriedOver ? await deps.assessments.getAssessment(sheet.carriedOver.fromAssessmentId) : await lastApprovedAssessment(deps, assessment.vendorId, assessmentId);
  const none: AssessmentChanges = { assessmentId, previous: null, answers: [], sections, findings: { opened: [], closed: [] }, score: { before: null, after: null, delta: null, contributions: [] }, documentNames: {} };
  if (!previous?.lastDecision) return none;
  const [previousSheet, beforeRisk, afterRisk, beforeDocs, afterDocs] = await Promise.all([
    deps.assessments.getAnswerSheet(previous.id),
    deps.assessments.getRiskRecord(previous.id),
    deps.assessments.getRiskRecord(assessmentId),
    deps.assessments.listDocuments(previous.id),
    deps.assessments.listDocuments(assessmentId),
  ]);
  const beforeId = stableIds(beforeDocs);
  const afterId = stableIds(afterDocs);
  const openBefore = new Map((beforeRisk?.findings ?? []).filter((f) => f.status === 'open').map((f) => [beforeId(f.id), f]));
  const openAfter = new Map((afterRisk?.findings ?? []).filter((f) => f.status === 'open').map((f) => [afterId(f.id), f]));
  const brief = (f: Finding) => ({ id: f.id, title: f.title, severity: f.severity });
  const contributions = new Map<string, ContributionChange>();
  const add = (c: ScoreContribution, id: string, side: 'before' | 'after') => {
    const line = contributions.get(id) ?? { id, description: c.description, before: 0, after: 0 };
    line[side] += c.points;
    if (side === 'after') line.description = c.description;
    contributions.set(id, line);
  };
  for (const c of beforeRisk?.score?.contributions ?? []) add(c, beforeId(c.id), 'before');
  for (const c of afterRisk?.score?.contributions ?? []) add(c, afterId(c.id), 'after');
  const before = beforeRisk?.score?.score ?? null;
  const after = afterRisk?.score?.score ?? null;
  return {
    assessmentId,
    previous: { assessmentId: previous.id, decidedAt: previous.lastDecision.decidedAt, decision: previous.lastDecision.decision },
    answers: answerChanges(previousSheet?.answers ?? {}, sheet.answers, templatesOf(assessment.templates)),
    sections,
    findings: {
      opened: [...openAfter].filter(([id]) => !openBefore.has(id)).map(([, f]) => brief(f)),
      closed: [...openBefore].filter(([id]) => !openAfter.has(id)).map(([, f]) => brief(f)),
    },
    score: {
      before,
      after,
      delta: before !== null && after !== null ? after - before : null,
      contributions: [...contributions.values()].filter((c) => c.before !== c.after).sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before)),
    },
    documentNames: Object.fromEntries([...beforeDocs, ...afterDocs].map((d) => [d.id, d.fileName])),
  };
}
