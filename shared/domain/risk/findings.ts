/**
 * Findings: concrete problems raised by the evidence (answers and report analyses), each with a severity, a
 * recommended remediation, an owner, a due date and a status that moves through a small lifecycle. Ids are built
 * from the source ("doc:<documentId>:exception:<n>", "q:<templateId>:<questionId>") so that scoring the same
 * evidence again raises the same findings, and a stored finding's status survives a re-score.
 */
import { ConflictError, ValidationError, type ErrorCode, type ProblemDetail } from '../errors.ts';
import type { TrustServicesCategory } from '../soc2/types.ts';
import { assessInherentRisk } from '../vendor.ts';
import { addDays, dayNumber, datePart, requireDayNumber } from './calendar.ts';
import { assessEvidence, criterionCategory, citation, type RiskDocument, type ResidualRiskInput } from './evidence-assessment.ts';
import { CATEGORY_LABEL, slug, type ContributionSource } from './residual-risk.ts';
import { RISK_POLICY, type FindingSeverity } from './risk-policy.ts';

export type FindingOwner = 'vendor' | 'us';
export const FINDING_STATUSES = ['open', 'remediated', 'risk-accepted', 'closed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A finding as the evidence raises it, before anyone has acted on it. */
export interface FindingDraft {
  /** Deterministic from the source, e.g. "doc:d1:exception:2", "doc:d1:stale", "q:baseline-security:mfa". */
  id: string;
  title: string;
  detail: string;
  severity: FindingSeverity;
  category: TrustServicesCategory | null;
  recommendedRemediation: string;
  owner: FindingOwner;
  /** YYYY-MM-DD: asOf + the policy's days for the severity (earlier when the vendor committed to an earlier date). */
  dueDate: string;
  source: ContributionSource;
}

export interface RiskAcceptance {
  justification: string;
  /** YYYY-MM-DD, after the day of acceptance and at most the policy's maximum (365 days) later. */
  expiresOn: string;
  acceptedBy: string;
  acceptedAt: string;
}

export type FindingAction =
  | { kind: 'remediate'; note: string }
  | { kind: 'accept-risk'; justification: string; expiresOn: string }
  | { kind: 'close'; note: string }
  | { kind: 'reopen'; reason: string };

/** One step of a finding's history (the audit trail of its status). */
export interface FindingEvent {
  at: string;
  actor: string;
  action: FindingAction['kind'] | 'open';
  from: FindingStatus | null;
  to: FindingStatus;
  /** The note, justification or reason given. */
  note: string | null;
  expiresOn: string | null;
}

/** A finding with its lifecycle. */
export interface Finding extends FindingDraft {
  status: FindingStatus;
  riskAcceptance: RiskAcceptance | null;
  openedAt: string;
  updatedAt: string;
  updatedBy: string;
  history: FindingEvent[];
}

const SEVERITY_RANK: Record<FindingSeverity, number> = { low: 1, medium: 2, high: 3, critical: 4 };

function docSource(document: RiskDocument, field: string, override?: { page: number | null; quote: string | null }): ContributionSource {
  const { page, quote } = override ?? citation(document, field);
  return { kind: 'document', documentId: document.documentId, fileName: document.fileName, field, page, quote };
}

const short = (text: string, max: number) => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`;
};

/** Raises the findings the evidence supports, most severe first (then in the order they were raised). */
export function generateFindings(input: ResidualRiskInput): FindingDraft[] {
  const policy = RISK_POLICY;
  const assessment = assessEvidence(input, policy);
  const tier = assessInherentRisk(input.vendor).tier;
  const due = (severity: FindingSeverity) => addDays(input.asOf, policy.findings.dueDays[severity]);
  const drafts: Omit<FindingDraft, 'dueDate'>[] = [];
  const dueOverrides = new Map<string, string>();
  const report = assessment.report;

  if (report !== null) {
    const doc = report.document;
    const id = `doc:${doc.documentId}`;
    if (report.opinion === 'qualified' || report.opinion === 'adverse' || report.opinion === 'disclaimer') {
      const on = report.opinionCriteria.length > 0 ? ` on ${report.opinionCriteria.join(', ')}` : '';
      const label = { qualified: 'Qualified opinion', adverse: 'Adverse opinion', disclaimer: 'Disclaimer of opinion' }[report.opinion];
      drafts.push({
        id: `${id}:opinion`,
        title: `${label}${on} in the ${report.label} report`,
        detail: `The service auditor issued a ${report.opinion === 'disclaimer' ? 'disclaimer of opinion' : `${report.opinion} opinion`}${on} in ${doc.fileName}. ${citation(doc, 'opinion').quote ?? ''}`.trim(),
        severity: report.opinion === 'qualified' ? 'high' : 'critical',
        category: report.opinionCriteria.map(criterionCategory).find((c) => c !== null) ?? null,
        recommendedRemediation: 'Ask the vendor for the basis of the modification, its root cause, the remediation plan and evidence that the control now operates; re-test in the next report.',
        owner: 'vendor',
        source: docSource(doc, 'opinion'),
      });
    } else if (report.opinion === 'unknown' && report.kind !== 'soc3') {
      drafts.push({
        id: `${id}:opinion-unread`,
        title: `No opinion could be read from the ${report.label} report`,
        detail: `The analyzer found no opinion paragraph in ${doc.fileName}; the report counts as weaker evidence until a reviewer reads it.`,
        severity: 'low',
        category: null,
        recommendedRemediation: "Read the service auditor's report and record the opinion.",
        owner: 'us',
        source: docSource(doc, 'opinion'),
      });
    }
    if (report.stale || report.bridgeGap) {
      const bridge = report.bridge ? `; the bridge letter ${report.bridge.document.fileName} covers until ${report.bridge.coveredUntil}` : ' and no bridge letter';
      drafts.push({
        id: report.stale ? `${id}:stale` : `${id}:bridge-gap`,
        title: `${report.kind === 'soc3' ? 'SOC 3' : 'SOC 2'} period ended ${report.monthsSincePeriodEnd} months ago${report.bridge ? ' and the bridge letter does not cover the gap' : ' and no bridge letter'}`,
        detail: `The period of ${doc.fileName} ended on ${report.periodEnd}${bridge}. ${report.stale ? `Evidence older than ${policy.assurance.staleness.staleAfterMonths} months (effective) is stale.` : `A gap of more than ${policy.assurance.staleness.bridgeExpectedAfterMonths} months calls for a bridge letter.`}`,
        severity: report.stale ? 'high' : 'medium',
        category: null,
        recommendedRemediation: report.stale ? 'Request the current SOC 2 report; until it is issued, a bridge letter covering the gap to today.' : 'Request a bridge letter covering the period from the end of the report to today.',
        owner: 'vendor',
        source: docSource(doc, 'period'),
      });
    }
    for (const gap of assessment.coverageGaps) {
      drafts.push({
        id: `${id}:scope:${gap.category}`,
        title: `${CATEGORY_LABEL[gap.category]} not in scope for ${gap.reason === 'a critical service' ? 'a critical vendor' : `a vendor handling ${gap.reason}`}`,
        detail: `${doc.fileName} covers ${report.categories.map((c) => CATEGORY_LABEL[c]).join(', ')}; ${CATEGORY_LABEL[gap.category]} is required for ${gap.reason}.`,
        severity: gap.severity,
        category: gap.category,
        recommendedRemediation: `Ask the vendor to add ${CATEGORY_LABEL[gap.category]} to the scope of its next SOC 2 examination; meanwhile obtain other evidence (questionnaire answers, policies, test results) for it.`,
        owner: 'vendor',
        source: docSource(doc, 'trustServicesCategories'),
      });
    }
    for (const e of report.exceptions) {
      const deduction = e.deduction;
      const t = policy.assurance.exceptions.findingSeverity;
      const severity: FindingSeverity = deduction >= t.high ? 'high' : deduction >= t.medium ? 'medium' : 'low';
      const rate = e.rate ? ` in ${e.rate.failures} of ${e.rate.sample} samples` : '';
      drafts.push({
        id: `${id}:exception:${e.number}`,
        title: `Exception on ${e.criterion ?? 'an unmapped criterion'}${e.exception.controlId ? ` (control ${e.exception.controlId})` : ''}: ${short(e.exception.description, 90)}${rate && !/\d\s*(?:of|\/)\s*\d/.test(short(e.exception.description, 90)) ? rate : ''}`,
        detail: `${e.exception.description}${e.exception.managementResponse ? `\nManagement's response (unaudited): ${e.exception.managementResponse}` : '\nNo management response was found.'}`,
        severity,
        category: e.category,
        recommendedRemediation: 'Ask the vendor for the root cause, the remediation and evidence that the control operated since; check the next report for the same exception.',
        owner: 'vendor',
        source: docSource(doc, `exceptions[${e.number - 1}]`, { page: e.exception.page, quote: short(e.exception.description, 220) }),
      });
    }
    for (const host of assessment.carvedOutHosts) {
      drafts.push({
        id: `${id}:carve-out:${slug(host.name)}`,
        title: `Hosting provider ${host.name} carved out`,
        detail: `${doc.fileName} uses the carve-out method for ${host.name}${host.services ? ` (${host.services})` : ''}: that organization's controls over hosting or processing our data are not covered by the report.`,
        severity: policy.penalties.carveOut.severity,
        category: null,
        recommendedRemediation: `Obtain and review ${host.name}'s own SOC 2 report and check the complementary subservice organization controls the vendor relies on.`,
        owner: 'us',
        source: docSource(doc, 'subserviceOrganizations'),
      });
    }
  }

  const iso = assessment.iso;
  if (iso !== null && !iso.valid) {
    drafts.push({
      id: `doc:${iso.document.documentId}:${iso.expiresOn === null ? 'iso-expiry-unknown' : 'iso-invalid'}`,
      title: iso.expiresOn === null ? 'ISO/IEC 27001 certificate validity could not be read' : `ISO/IEC 27001 certificate not valid: ${iso.reason}`,
      detail: `${iso.document.fileName}: ${iso.reason}.`,
      severity: iso.expiresOn === null ? 'low' : 'medium',
      category: 'security',
      recommendedRemediation: iso.expiresOn === null ? 'Read the certificate and record its issue and expiry dates.' : 'Request the current certificate (ISO/IEC 27001:2022) and its Statement of Applicability.',
      owner: iso.expiresOn === null ? 'us' : 'vendor',
      source: docSource(iso.document, iso.issuedOn === null ? 'documentKind' : 'reportDate'),
    });
  }

  const requirement = policy.requiredEvidence.find((r) => r.tier === tier);
  if (requirement && !requirement.accepts.some((k) => assessment.evidenceKinds.includes(k))) {
    const have = report === null ? (assessment.evidenceKinds.includes('questionnaire') ? 'only questionnaire answers' : 'no evidence') : `a ${report.label} report`;
    drafts.push({
      id: 'vendor:required-evidence',
      title: `No ${requirement.label.replace(/^an? /, '')} for a tier-${tier} vendor`,
      detail: `Tier ${tier} requires ${requirement.label}; the vendor provided ${have}.`,
      severity: requirement.severity,
      category: null,
      recommendedRemediation: `Request ${requirement.label} from the vendor.`,
      owner: 'vendor',
      source: { kind: 'profile', field: 'tier', value: String(tier) },
    });
  }

  for (const q of input.questionnaires) {
    for (const f of q.findings) {
      if (f.severity === 'info') continue;
      const id = `q:${q.templateId}:${f.questionId}`;
      if (f.remediationDate !== null && dayNumber(f.remediationDate) !== null && f.remediationDate >= input.asOf && f.remediationDate < due(f.severity)) {
        dueOverrides.set(id, f.remediationDate);
      }
      drafts.push({
        id,
        title: `${short(f.question, 100)} — answered "${f.answer}"`,
        detail: [f.whyItMatters, f.compensatingControl ? `Compensating control (vendor): ${f.compensatingControl}` : null, f.remediationDate ? `The vendor committed to fix it by ${f.remediationDate}.` : null].filter((x) => x !== null).join('\n'),
        severity: f.severity,
        category: f.criteria.map(criterionCategory).find((c) => c !== null) ?? null,
        recommendedRemediation: f.guidance ?? 'Implement the control the question asks about, or document a compensating control, and send evidence.',
        owner: 'vendor',
        source: { kind: 'question', templateId: q.templateId, templateVersion: q.templateVersion, questionId: f.questionId, answer: f.answer },
      });
    }
  }
  return drafts
    .map((draft, order) => ({ draft, order }))
    .sort((a, b) => SEVERITY_RANK[b.draft.severity] - SEVERITY_RANK[a.draft.severity] || a.order - b.order)
    .map(({ draft }) => ({ ...draft, dueDate: dueOverrides.get(draft.id) ?? due(draft.severity) }));
}

/** A new, open finding from a draft. `at` is an ISO timestamp. */
export function openFinding(draft: FindingDraft, at: string, actor: string): Finding {
  return {
    ...draft,
    status: 'open',
    riskAcceptance: null,
    openedAt: at,
    updatedAt: at,
    updatedBy: actor,
    history: [{ at, actor, action: 'open', from: null, to: 'open', note: null, expiresOn: null }],
  };
}

const ALLOWED_FROM: Record<FindingAction['kind'], readonly FindingStatus[]> = {
  remediate: ['open', 'risk-accepted'],
  'accept-risk': ['open', 'risk-accepted'],
  close: ['open', 'remediated', 'risk-accepted'],
  reopen: ['remediated', 'risk-accepted', 'closed'],
};
const TARGET: Record<FindingAction['kind'], FindingStatus> = { remediate: 'remediated', 'accept-risk': 'risk-accepted', close: 'closed', reopen: 'open' };

function requireText(value: string, path: string, what: string, code: ErrorCode): string {
  const text = value.trim();
  if (text.length === 0) throw new ValidationError(`${what} is required`, [{ path, message: 'must not be empty' }], code);
  return text;
}

/**
 * Moves a finding through its lifecycle (open → remediated | risk-accepted | closed; reopen from any of those).
 * Accepting a risk needs a justification of at least 20 characters and an expiry after the day of `at` and at most
 * 365 days later (both from the policy); accepting again renews it. Returns the updated finding with the event
 * appended to its history. Throws ValidationError (codes finding-note-required, finding-reason-required,
 * risk-acceptance-invalid) or ConflictError (finding-transition-not-allowed).
 */
export function applyFindingTransition(finding: Finding, action: FindingAction, at: string, actor: string): Finding {
  const target = TARGET[action.kind];
  if (!ALLOWED_FROM[action.kind].includes(finding.status)) {
    throw new ConflictError(`A finding that is ${finding.status} cannot be moved with "${action.kind}" (allowed from: ${ALLOWED_FROM[action.kind].join(', ')})`, 'finding-transition-not-allowed');
  }
  let note: string;
  let riskAcceptance: RiskAcceptance | null = finding.riskAcceptance;
  let expiresOn: string | null = null;
  switch (action.kind) {
    case 'remediate':
      note = requireText(action.note, 'note', 'A note saying how the finding was remediated', 'finding-note-required');
      riskAcceptance = null;
      break;
    case 'close':
      note = requireText(action.note, 'note', 'A note saying why the finding is closed', 'finding-note-required');
      break;
    case 'reopen':
      note = requireText(action.reason, 'reason', 'A reason for reopening the finding', 'finding-reason-required');
      riskAcceptance = null;
      break;
    case 'accept-risk': {
      const policy = RISK_POLICY.findings;
      const problems: ProblemDetail[] = [];
      note = action.justification.trim();
      if (note.length < policy.justificationMinLength) problems.push({ path: 'justification', message: `a justification of at least ${policy.justificationMinLength} characters is required to accept a risk` });
      const today = requireDayNumber(datePart(at), 'at');
      const expiry = dayNumber(action.expiresOn);
      if (expiry === null) problems.push({ path: 'expiresOn', message: 'must be a date written YYYY-MM-DD' });
      else if (expiry <= today) problems.push({ path: 'expiresOn', message: `must be after ${datePart(at)}` });
      else if (expiry - today > policy.riskAcceptanceMaxDays) problems.push({ path: 'expiresOn', message: `must be at most ${policy.riskAcceptanceMaxDays} days after ${datePart(at)} (${addDays(datePart(at), policy.riskAcceptanceMaxDays)})` });
      if (problems.length > 0) throw new ValidationError('The risk acceptance is not valid', problems, 'risk-acceptance-invalid');
      expiresOn = action.expiresOn;
      riskAcceptance = { justification: note, expiresOn: action.expiresOn, acceptedBy: actor, acceptedAt: at };
      break;
    }
  }
  return {
    ...finding,
    status: target,
    riskAcceptance,
    updatedAt: at,
    updatedBy: actor,
    history: [...finding.history, { at, actor, action: action.kind, from: finding.status, to: target, note, expiresOn }],
  };
}

/** True when the finding's risk acceptance has run out on `today` (YYYY-MM-DD): it needs a decision again. */
export function isRiskAcceptanceExpired(finding: Finding, today: string): boolean {
  return finding.status === 'risk-accepted' && finding.riskAcceptance !== null && finding.riskAcceptance.expiresOn < today;
}

/** The result of matching freshly generated drafts against the stored findings of the same vendor. */
export interface FindingReconciliation {
  /** Every finding: the stored ones (content refreshed from their draft, status and due date kept) and the new ones. */
  findings: Finding[];
  /** Ids of drafts that had no stored finding: opened now. */
  added: string[];
  /** Ids of stored findings that are still open or accepted but no longer raised by the evidence: decide on them. */
  noLongerRaised: string[];
}

/**
 * Merges a re-score's drafts into the stored findings by id. A stored finding keeps its status, history and due date
 * (re-scoring never moves a deadline or reopens what someone closed); its title, detail, severity and source follow
 * the new draft. Findings the evidence no longer raises are reported, not closed: closing is a person's decision.
 */
export function reconcileFindings(existing: Finding[], drafts: FindingDraft[], at: string, actor: string): FindingReconciliation {
  const stored = new Map(existing.map((f) => [f.id, f]));
  const raised = new Set(drafts.map((d) => d.id));
  const added: string[] = [];
  const merged = drafts.map((draft): Finding => {
    const previous = stored.get(draft.id);
    if (previous === undefined) {
      added.push(draft.id);
      return openFinding(draft, at, actor);
    }
    return { ...previous, ...draft, dueDate: previous.dueDate };
  });
  const rest = existing.filter((f) => !raised.has(f.id));
  return {
    findings: [...merged, ...rest],
    added,
    noLongerRaised: rest.filter((f) => f.status === 'open' || f.status === 'risk-accepted').map((f) => f.id),
  };
}
