/**
 * Findings: concrete problems raised by the evidence (answers and report analyses), each with a severity, a
 * recommended remediation, an owner, a due date and a status that moves through a small lifecycle. Ids are built
 * from the source ("doc:<documentId>:exception:<n>", "q:<templateId>:<questionId>") so that scoring the same
 * evidence again raises the same findings, and a stored finding's status survives a re-score.
 */
import { ConflictError, ValidationError, type ErrorCode, type ProblemDetail } from '../errors.ts';
import type { TrustServicesCategory } from '../soc2/types.ts';
import { addDays, dayNumber, datePart, requireDayNumber } from './calendar.ts';
import type { ResidualRiskInput } from './evidence-assessment.ts';
import { riskIssuesOf, type ContributionSource, type FindingOwner } from './issues.ts';
import { RISK_POLICY, type FindingSeverity, type RiskPolicy } from './risk-policy.ts';

export type { FindingOwner } from './issues.ts';
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

/**
 * Raises the findings the evidence supports, most severe first (then in the order the rules raised them): one per
 * evaluated risk issue that raises a finding (issues.ts), so the score and the findings never disagree on a rule.
 */
export function generateFindings(input: ResidualRiskInput, policy: RiskPolicy = RISK_POLICY): FindingDraft[] {
  const due = (severity: FindingSeverity) => addDays(input.asOf, policy.findings.dueDays[severity]);
  return riskIssuesOf(input, policy)
    .issues.flatMap(({ id, category, source, finding }, order) => (finding === null ? [] : [{ id, category, source, finding, order }]))
    .sort((a, b) => SEVERITY_RANK[b.finding.severity] - SEVERITY_RANK[a.finding.severity] || a.order - b.order)
    .map(({ id, category, source, finding }): FindingDraft => {
      const { committedFixBy, ...text } = finding;
      const byPolicy = due(finding.severity);
      // The vendor's own earlier commitment sets the deadline (a date already past or unreadable does not).
      const committed = committedFixBy !== null && dayNumber(committedFixBy) !== null && committedFixBy >= input.asOf && committedFixBy < byPolicy;
      return { id, ...text, category, source, dueDate: committed ? committedFixBy : byPolicy };
    });
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
