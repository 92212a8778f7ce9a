/**
 * The versioned risk policy: every weight, curve and threshold of the risk model lives in risk-policy.json and is
 * validated here when the module is imported, so a broken policy fails at start-up, not in the middle of a score.
 * The formula that uses it is described in docs/risk-model.md.
 *
 * This module imports only types from vendor.ts: vendor.ts reads the inherent rubric from here, and a runtime import
 * the other way would be a cycle.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { calendarDate } from './calendar.ts';
import type { TrustServicesCategory } from '../soc2/types.ts';
import type { Criticality, DataClassification, DataType, RecordVolume, SystemAccess } from '../vendor.ts';
import policyJson from './risk-policy.json' with { type: 'json' };

/** A key list that must name every member of U (the compiler says which one is missing). */
type Exhaustive<T extends readonly string[], U extends string> = [U] extends [T[number]] ? T : never;

const DATA_CLASSIFICATION_KEYS = ['public', 'internal', 'confidential', 'restricted'] as const;
const DATA_TYPE_KEYS = ['personal', 'health', 'payment', 'credentials', 'financial', 'customer-content', 'intellectual-property', 'employee'] as const;
const SYSTEM_ACCESS_KEYS = ['none', 'network', 'privileged'] as const;
const CRITICALITY_KEYS = ['low', 'medium', 'high', 'critical'] as const;
const RECORD_VOLUME_KEYS = ['none', 'under-1k', '1k-100k', '100k-1m', 'over-1m'] as const;
const CATEGORY_KEYS = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'] as const;

const checkedKeys = {
  dataClassification: DATA_CLASSIFICATION_KEYS satisfies Exhaustive<typeof DATA_CLASSIFICATION_KEYS, DataClassification>,
  dataTypes: DATA_TYPE_KEYS satisfies Exhaustive<typeof DATA_TYPE_KEYS, DataType>,
  systemAccess: SYSTEM_ACCESS_KEYS satisfies Exhaustive<typeof SYSTEM_ACCESS_KEYS, SystemAccess>,
  criticality: CRITICALITY_KEYS satisfies Exhaustive<typeof CRITICALITY_KEYS, Criticality>,
  recordVolume: RECORD_VOLUME_KEYS satisfies Exhaustive<typeof RECORD_VOLUME_KEYS, RecordVolume>,
  categories: CATEGORY_KEYS satisfies Exhaustive<typeof CATEGORY_KEYS, TrustServicesCategory>,
};

export const RISK_RATINGS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];

export const FINDING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** Kinds of evidence, strongest first; "questionnaire" is the vendor's own answers. */
export const EVIDENCE_KINDS = ['soc2-type2', 'soc2-type1', 'soc2-unknown-type', 'soc3', 'iso27001', 'questionnaire'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

const points = z.number().min(0).max(100);
const factor = z.number().min(0).max(1);
const isoDate = calendarDate('must be a calendar date written YYYY-MM-DD');

const pointsFor = <const K extends readonly string[]>(keys: K) =>
  z.strictObject(Object.fromEntries(keys.map((k) => [k, points])) as { [P in K[number]]: typeof points });

const ascending = (values: number[]) => values.every((v, i) => i === 0 || v > values[i - 1]!);

const inherentSchema = z.strictObject({
  dataClassification: pointsFor(checkedKeys.dataClassification),
  dataTypes: pointsFor(checkedKeys.dataTypes),
  dataTypesExtraPerType: points,
  dataTypesCap: points,
  systemAccess: pointsFor(checkedKeys.systemAccess),
  criticality: pointsFor(checkedKeys.criticality),
  recordVolume: pointsFor(checkedKeys.recordVolume),
  tierThresholds: z
    .array(z.strictObject({ tier: z.union([z.literal(1), z.literal(2), z.literal(3)]), minScore: points }))
    .length(3)
    .refine((t) => t.every((x, i) => x.tier === i + 1) && ascending(t.map((x) => -x.minScore)), {
      error: 'tier thresholds must be tiers 1, 2, 3 with strictly decreasing minimum scores',
    }),
});

const profileCondition = z
  .strictObject({
    criticality: z.array(z.enum(checkedKeys.criticality)).min(1).optional(),
    dataClassification: z.array(z.enum(checkedKeys.dataClassification)).min(1).optional(),
    dataTypes: z.array(z.enum(checkedKeys.dataTypes)).min(1).optional(),
  })
  .refine((w) => Object.keys(w).length > 0, { error: 'a coverage rule needs at least one condition' });

export const riskPolicySchema = z.strictObject({
  version: z.string().min(1).max(40),
  inherent: inherentSchema,
  assurance: z.strictObject({
    maxReduction: factor,
    categoryWeights: z.strictObject(Object.fromEntries(CATEGORY_KEYS.map((k) => [k, z.number().positive().max(10)])) as Record<TrustServicesCategory, z.ZodNumber>),
    evidenceStrength: z.strictObject(Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, points])) as Record<EvidenceKind, typeof points>),
    opinionFactor: z.strictObject({ unqualified: factor, qualified: factor, adverse: factor, disclaimer: factor, unknown: factor }),
    staleness: z.strictObject({
      bands: z
        .array(z.strictObject({ maxMonths: z.number().positive(), factor }))
        .min(1)
        .refine((b) => ascending(b.map((x) => x.maxMonths)) && b.every((x, i) => i === 0 || x.factor <= b[i - 1]!.factor), {
          error: 'staleness bands must have increasing maxMonths and non-increasing factors',
        }),
      beyondFactor: factor,
      unknownPeriodFactor: factor,
      bridgeLetterCredit: factor,
      bridgeLetterToleranceDays: z.int().min(0).max(366),
      bridgeExpectedAfterMonths: z.number().positive(),
      staleAfterMonths: z.number().positive(),
    }),
    exceptions: z.strictObject({
      criterionGroupWeights: z.record(z.string().regex(/^(CC[1-9]|A1|C1|PI1|P)$/), points),
      unmappedWeight: points,
      rate: z.strictObject({ unknownMultiplier: z.number().positive(), base: z.number().positive(), perUnitRate: z.number().min(0), max: z.number().positive() }),
      pre2017GroupMap: z.record(z.string().regex(/^CC\d$/), z.string().regex(/^CC\d$/)),
      findingSeverity: z.strictObject({ high: points, medium: points }),
    }),
    iso27001: z.strictObject({
      categories: z.array(z.enum(checkedKeys.categories)).min(1),
      validityMonths: z.int().positive(),
      editionRetiredOn: z.record(z.string().regex(/^\d{4}$/), isoDate),
    }),
  }),
  coverage: z.array(
    z.strictObject({
      category: z.enum(checkedKeys.categories).refine((c) => c !== 'security', { error: 'security is always required' }),
      when: profileCondition,
      reason: z.string().min(1),
      points,
      severity: z.enum(FINDING_SEVERITIES),
    }),
  ),
  requiredEvidence: z.array(
    z.strictObject({
      tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
      accepts: z.array(z.enum(EVIDENCE_KINDS)).min(1),
      label: z.string().min(1),
      points,
      severity: z.enum(FINDING_SEVERITIES),
    }),
  ),
  penalties: z.strictObject({
    opinion: z.strictObject({ qualified: points, adverse: points, disclaimer: points }),
    stale: points,
    bridgeGap: points,
    carveOut: z.strictObject({
      pointsEach: points,
      maxPoints: points,
      severity: z.enum(FINDING_SEVERITIES),
      hostingKeywords: z.array(z.string().min(2)),
      knownHostingProviders: z.array(z.string().min(2)),
    }),
    answerFindings: z.strictObject({ info: points, low: points, medium: points, high: points, critical: points, maxPoints: points }),
  }),
  ratings: z
    .strictObject({ medium: z.int().min(1).max(100), high: z.int().min(1).max(100), critical: z.int().min(1).max(100) })
    .refine((r) => r.medium < r.high && r.high < r.critical, { error: 'rating thresholds must increase: medium < high < critical' }),
  findings: z.strictObject({
    dueDays: z.strictObject({ low: z.int().positive(), medium: z.int().positive(), high: z.int().positive(), critical: z.int().positive() }),
    riskAcceptanceMaxDays: z.int().positive().max(3660),
    justificationMinLength: z.int().min(1),
  }),
  override: z.strictObject({ justificationMinLength: z.int().min(1) }),
});

export type RiskPolicy = z.infer<typeof riskPolicySchema>;
export type InherentRubric = RiskPolicy['inherent'];

/** Validates a policy document; throws with every problem listed when it is not a valid policy. */
export function parseRiskPolicy(json: unknown): RiskPolicy {
  const result = riskPolicySchema.safeParse(json);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }));
    throw new ValidationError(`The risk policy is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details, 'risk-policy-invalid');
  }
  return result.data;
}

/** The policy in force, validated when this module is first imported. */
export const RISK_POLICY: RiskPolicy = parseRiskPolicy(policyJson);
