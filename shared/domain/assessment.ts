/**
 * Assessments: one vendor, a set of questionnaires, evidence, a score and a decision, run by the assessment
 * workflow. Pure: ids, times and tokens are arguments.
 */
import { z } from 'zod';
import { ConflictError, ValidationError } from './errors.ts';
import { addDays, addMonths, calendarDate, soc2StaleOn } from './risk/calendar.ts';
import { RISK_POLICY, type RiskPolicy } from './risk/risk-policy.ts';
import type { Tier } from './vendor.ts';

export const ASSESSMENT_STATUSES = [
  'inviting',
  'awaiting-vendor',
  'overdue',
  'analyzing',
  'awaiting-review',
  'needs-attention',
  'approved',
  'approved-with-conditions',
  'rejected',
  'cancelled',
] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export const FINAL_STATUSES: readonly AssessmentStatus[] = ['approved', 'approved-with-conditions', 'rejected', 'cancelled'];
export const isFinal = (status: AssessmentStatus) => FINAL_STATUSES.includes(status);

export const DECISIONS = ['approved', 'approved-with-conditions', 'rejected', 'changes-requested'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DOCUMENT_KINDS = ['soc2-report', 'bridge-letter', 'iso-certificate', 'other'] as const;
export type EvidenceKind = (typeof DOCUMENT_KINDS)[number];

export interface TemplateRef {
  id: string;
  version: string;
}

export interface RemediationCondition {
  description: string;
  dueDate: string;
}

export interface AssessmentDecision {
  decision: Decision;
  comment: string;
  conditions: RemediationCondition[];
  decidedBy: string;
  decidedAt: string;
  automatic: boolean;
}

export interface ReminderState {
  sent: number;
  escalated: boolean;
  overdue: boolean;
}

export interface Assessment {
  id: string;
  vendorId: string;
  vendorName: string;
  vendorTier: Tier;
  templates: TemplateRef[];
  dueDate: string;
  requestedBy: string;
  /** The vendor contact the portal link goes to. */
  contactEmail: string;
  status: AssessmentStatus;
  /** Why it needs attention, when it does. */
  attentionReason: string | null;
  reminders: ReminderState;
  submittedAt: string | null;
  /** Rounds of "changes requested" so far. */
  round: number;
  lastDecision: AssessmentDecision | null;
  /** Comments from security when they asked for changes, shown to the vendor. */
  changesRequested: string | null;
  nextReviewDate: string | null;
  bridgeLetterRequested: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * The stored assessment, checked when read back (version ASSESSMENT_SCHEMA_VERSION): a field renamed in the code but
 * not in the table fails loudly (`stored-item-invalid`). Keys the code no longer knows are dropped on read.
 */
export const ASSESSMENT_SCHEMA_VERSION = 1;
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}/);
export const assessmentRecordSchema = z.object({
  id: z.string().min(1),
  vendorId: z.string().min(1),
  vendorName: z.string(),
  vendorTier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  templates: z.array(z.object({ id: z.string(), version: z.string() })),
  dueDate: isoDay,
  requestedBy: z.string(),
  contactEmail: z.string(),
  status: z.enum(ASSESSMENT_STATUSES),
  attentionReason: z.string().nullable(),
  reminders: z.object({ sent: z.number().int(), escalated: z.boolean(), overdue: z.boolean() }),
  submittedAt: z.string().nullable(),
  round: z.number().int(),
  lastDecision: z
    .object({
      decision: z.enum(DECISIONS),
      comment: z.string(),
      conditions: z.array(z.object({ description: z.string(), dueDate: z.string() })),
      decidedBy: z.string(),
      decidedAt: z.string(),
      automatic: z.boolean(),
    })
    .nullable(),
  changesRequested: z.string().nullable(),
  nextReviewDate: z.string().nullable(),
  bridgeLetterRequested: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
}) satisfies z.ZodType<Assessment>;

/** Request to start an assessment. */
export const assessmentRequestSchema = z
  .object({
    vendorId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'a vendor id' }),
    templates: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/, { message: 'a questionnaire template id' })).min(1).max(6).optional(),
    dueDate: calendarDate(),
  })
  .strict();
export type AssessmentRequest = z.infer<typeof assessmentRequestSchema>;

export const decisionRequestSchema = z
  .object({
    decision: z.enum(DECISIONS),
    comment: z.string().trim().min(1, { message: 'explain the decision' }).max(4000),
    conditions: z
      .array(z.object({ description: z.string().trim().min(1).max(1000), dueDate: calendarDate() }).strict())
      .max(50)
      .default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.decision === 'approved-with-conditions' && d.conditions.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'approved-with-conditions needs at least one condition' });
    }
    if (d.decision !== 'approved-with-conditions' && d.conditions.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['conditions'], message: `conditions only go with approved-with-conditions` });
    }
  });
export type DecisionRequest = z.infer<typeof decisionRequestSchema>;

/** Builds a new assessment. */
export function newAssessment(input: {
  id: string;
  vendor: { id: string; name: string; contactEmail: string; tier: Tier };
  templates: TemplateRef[];
  dueDate: string;
  requestedBy: string;
  now: string;
}): Assessment {
  if (input.dueDate <= input.now.slice(0, 10)) {
    throw new ValidationError('The due date must be in the future', [{ path: 'dueDate', message: 'must be after today' }]);
  }
  return {
    id: input.id,
    vendorId: input.vendor.id,
    vendorName: input.vendor.name,
    vendorTier: input.vendor.tier,
    templates: input.templates,
    dueDate: input.dueDate,
    requestedBy: input.requestedBy,
    contactEmail: input.vendor.contactEmail,
    status: 'inviting',
    attentionReason: null,
    reminders: { sent: 0, escalated: false, overdue: false },
    submittedAt: null,
    round: 1,
    lastDecision: null,
    changesRequested: null,
    nextReviewDate: null,
    bridgeLetterRequested: false,
    version: 1,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** Which statuses may follow which: the workflow moves only along these edges. */
const TRANSITIONS: Record<AssessmentStatus, readonly AssessmentStatus[]> = {
  inviting: ['awaiting-vendor', 'needs-attention', 'cancelled'],
  'awaiting-vendor': ['awaiting-vendor', 'overdue', 'analyzing', 'needs-attention', 'cancelled'],
  overdue: ['overdue', 'awaiting-vendor', 'analyzing', 'needs-attention', 'cancelled'],
  analyzing: ['awaiting-review', 'approved', 'needs-attention', 'cancelled'],
  'awaiting-review': ['approved', 'approved-with-conditions', 'rejected', 'awaiting-vendor', 'analyzing', 'needs-attention', 'cancelled'],
  'needs-attention': ['analyzing', 'inviting', 'awaiting-vendor', 'cancelled'],
  approved: [],
  'approved-with-conditions': [],
  rejected: [],
  cancelled: [],
};

/** Moves an assessment to `to`, or refuses with ConflictError (invalid-transition). */
export function transition(assessment: Assessment, to: AssessmentStatus, now: string, changes: Partial<Assessment> = {}): Assessment {
  if (!TRANSITIONS[assessment.status].includes(to)) {
    throw new ConflictError(`An assessment that is ${assessment.status} cannot become ${to}`, 'invalid-transition');
  }
  return { ...assessment, ...changes, status: to, version: assessment.version + 1, updatedAt: now };
}

/**
 * Applies security's decision to an assessment awaiting review, or null when this very decision (same decider, same
 * time) was applied already: the API and the workflow's RecordDecision step both apply it, whichever comes first.
 */
export function applyDecision(assessment: Assessment, decision: AssessmentDecision, now: string): Assessment | null {
  const last = assessment.lastDecision;
  if (last && !last.automatic && last.decidedAt === decision.decidedAt && last.decidedBy === decision.decidedBy && last.decision === decision.decision) return null;
  if (assessment.status !== 'awaiting-review') throw new ConflictError(`Only an assessment awaiting review can be decided; this one is ${assessment.status}`, 'invalid-transition');
  return decision.decision === 'changes-requested'
    ? transition(assessment, 'awaiting-vendor', now, { lastDecision: decision, changesRequested: decision.comment, round: assessment.round + 1 })
    : transition(assessment, decision.decision, now, { lastDecision: decision, changesRequested: null });
}

/** A vendor may start only one assessment at a time: another one of the vendor is still open. */
export class AssessmentOpenError extends ConflictError {
  readonly openAssessmentId: string;
  constructor(vendorId: string, openAssessmentId: string) {
    super(`Vendor ${vendorId} has an open assessment already: ${openAssessmentId}. Finish or cancel it first.`, 'assessment-open');
    this.name = 'AssessmentOpenError';
    this.openAssessmentId = openAssessmentId;
  }
}

/** Changes fields without a status change (still a new version). */
export function revise(assessment: Assessment, now: string, changes: Partial<Assessment>): Assessment {
  return { ...assessment, ...changes, version: assessment.version + 1, updatedAt: now };
}


// Calendar arithmetic has one home (risk/calendar.ts); re-exported for the callers that import it from here.
export { addDays, addMonths };

/** Whole months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
  return (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
}

export interface NextReview {
  nextReviewDate: string;
  reason: string;
  bridgeLetterNeeded: boolean;
  bridgeLetterReason: string | null;
}

/**
 * The next review: the earlier of the tier's cadence from the decision and the day the SOC 2 report becomes stale
 * (`staleAfterMonths` after its period end, 12 in policy 2026-12), but never before the decision: evidence already
 * stale when approved makes the review due on the decision day; a bridge letter is needed when the evidence ends more
 * than `bridgeExpectedAfterMonths` (3) before the decision.
 */
export function planNextReview(
  input: { decidedOn: string; tier: Tier; soc2PeriodEnd: string | null; bridgeCoverageEnd: string | null },
  staleness: RiskPolicy['assurance']['staleness'] = RISK_POLICY.assurance.staleness,
  cadenceMonthsByTier: RiskPolicy['review']['cadenceMonthsByTier'] = RISK_POLICY.review.cadenceMonthsByTier,
): NextReview {
  const cadence = cadenceMonthsByTier[String(input.tier) as keyof typeof cadenceMonthsByTier];
  const staleAfter = staleness.staleAfterMonths;
  const bridgeAfter = staleness.bridgeExpectedAfterMonths;
  const byCadence = addMonths(input.decidedOn, cadence);
  const byReport = input.soc2PeriodEnd ? soc2StaleOn(input.soc2PeriodEnd, staleAfter) : null;
  const useReport = byReport !== null && byReport < byCadence;
  const staleAtDecision = byReport !== null && byReport < input.decidedOn;
  const coveredUntil = [input.soc2PeriodEnd, input.bridgeCoverageEnd].filter((d): d is string => d !== null).sort().at(-1) ?? null;
  const gapMonths = coveredUntil ? monthsBetween(coveredUntil, input.decidedOn) : null;
  const bridgeLetterNeeded = input.soc2PeriodEnd !== null && gapMonths !== null && (gapMonths > bridgeAfter || (gapMonths === bridgeAfter && addMonths(coveredUntil!, bridgeAfter) < input.decidedOn));
  return {
    nextReviewDate: staleAtDecision ? input.decidedOn : useReport ? byReport : byCadence,
    reason: staleAtDecision
      ? `the SOC 2 period ended ${input.soc2PeriodEnd}, already more than ${staleAfter} months old at the decision: due now`
      : useReport
      ? `${staleAfter} months after the SOC 2 period ended (${input.soc2PeriodEnd}), earlier than the tier ${input.tier} cadence of ${cadence} months`
      : `tier ${input.tier} cadence: ${cadence} months after the decision`,
    bridgeLetterNeeded,
    bridgeLetterReason: bridgeLetterNeeded ? `the evidence covers up to ${coveredUntil}, more than ${bridgeAfter} months before ${input.decidedOn}` : null,
  };
}
