/**
 * The versioned risk policy: every weight, curve and threshold of the risk model lives in risk-policy.json and is
 * validated here when the module is imported, so a broken policy fails at start-up, not in the middle of a score.
 * The formula that uses it is described in docs/risk-model.md.
 *
 * Every risk rule (a condition that raises a finding, adds penalty points, or both) has one entry under `rules`, keyed
 * by its rule id; risk/issues.ts evaluates each of them once for both the score and the findings.
 *
 * The profile vocabularies come from the leaf module profile-values.ts, so this module and vendor.ts (which reads the
 * inherent rubric from here) do not import each other.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';
import { calendarDate } from './calendar.ts';
import {
  CRITICALITIES,
  DATA_CLASSIFICATIONS,
  DATA_TYPES,
  EVIDENCE_KINDS,
  FINDING_SEVERITIES,
  RECORD_VOLUMES,
  SYSTEM_ACCESS_LEVELS,
  type EvidenceKind,
} from '../profile-values.ts';
import type { TrustServicesCategory } from '../soc2/types.ts';
import policyJson from './risk-policy.json' with { type: 'json' };

export { RISK_RATINGS, FINDING_SEVERITIES, EVIDENCE_KINDS, type RiskRating, type FindingSeverity, type EvidenceKind } from '../profile-values.ts';

/** A key list that must name every member of U (the compiler says which one is missing). */
type Exhaustive<T extends readonly string[], U extends string> = [U] extends [T[number]] ? T : never;

const CATEGORY_KEYS = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'] as const;

const checkedKeys = {
  dataClassification: DATA_CLASSIFICATIONS,
  dataTypes: DATA_TYPES,
  systemAccess: SYSTEM_ACCESS_LEVELS,
  criticality: CRITICALITIES,
  recordVolume: RECORD_VOLUMES,
  categories: CATEGORY_KEYS satisfies Exhaustive<typeof CATEGORY_KEYS, TrustServicesCategory>,
};

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

const severity = z.enum(FINDING_SEVERITIES);
/** A rule that adds `points` to the score (0: none) and raises a finding of `severity`. */
const pointsAndSeverity = z.strictObject({ points, severity });

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
  /** How often a vendor is reviewed by tier, in months after the decision (vendor-risk practice: tier 1 yearly … tier 4 every three years). */
  review: z.strictObject({
    cadenceMonthsByTier: z.strictObject({ '1': z.int().positive().max(60), '2': z.int().positive().max(60), '3': z.int().positive().max(60), '4': z.int().positive().max(60) }),
  }),
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
      bridgeExpectedAfterMonths: z.int().positive(),
      staleAfterMonths: z.int().positive(),
    }),
    exceptions: z.strictObject({
      criterionGroupWeights: z.record(z.string().regex(/^(CC[1-9]|A1|C1|PI1|P)$/), points),
      unmappedWeight: points,
      rate: z.strictObject({ unknownMultiplier: z.number().positive(), base: z.number().positive(), perUnitRate: z.number().min(0), max: z.number().positive() }),
      pre2017GroupMap: z.record(z.string().regex(/^CC\d$/), z.string().regex(/^CC\d$/)),
    }),
    iso27001: z.strictObject({
      categories: z.array(z.enum(checkedKeys.categories)).min(1),
      validityMonths: z.int().positive(),
      editionRetiredOn: z.record(z.string().regex(/^\d{4}$/), isoDate),
    }),
  }),
  rules: z.strictObject({
    'modified-opinion': z.strictObject({
      points: z.strictObject({ qualified: points, adverse: points, disclaimer: points }),
      severity: z.strictObject({ qualified: severity, adverse: severity, disclaimer: severity }),
    }),
    'unread-opinion': pointsAndSeverity,
    'stale-report': pointsAndSeverity,
    'bridge-gap': pointsAndSeverity,
    'category-out-of-scope': z.strictObject({
      requirements: z.array(
        z.strictObject({
          category: z.enum(checkedKeys.categories).refine((c) => c !== 'security', { error: 'security is always required' }),
          when: profileCondition,
          reason: z.string().min(1),
          points,
          severity,
        }),
      ),
    }),
    'control-exception': z.strictObject({ severityFromDeduction: z.strictObject({ high: points, medium: points }) }),
    'hosting-carve-out': z.strictObject({
      pointsEach: points,
      maxPoints: points,
      severity,
      hostingKeywords: z.array(z.string().min(2)),
      knownHostingProviders: z.array(z.string().min(2)),
    }),
    'invalid-iso-certificate': pointsAndSeverity,
    'unread-iso-certificate': pointsAndSeverity,
    'missing-required-evidence': z.strictObject({
      requirements: z.array(
        z.strictObject({
          tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
          accepts: z.array(z.enum(EVIDENCE_KINDS)).min(1),
          label: z.string().min(1),
          points,
          severity,
        }),
      ),
    }),
    'scope-mismatch': pointsAndSeverity,
    'answer-finding': z.strictObject({
      points: z.strictObject({ info: points, low: points, medium: points, high: points, critical: points }),
      maxPoints: points,
    }),
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
  /**
   * A portfolio rule, not one assessment's: a provider (a subservice organization of our vendors' reports) on which
   * more than `maxShareOfTier1` of our tier-1 vendors depend, and at least `minVendors` of them, raises a portfolio
   * finding of `severity` (fourth-parties.ts evaluates it over the maintained per-provider counts).
   */
  fourthPartyConcentration: z.strictObject({ maxShareOfTier1: factor, minVendors: z.int().min(1), severity }),
});

export type RiskPolicy = z.infer<typeof riskPolicySchema>;
export type InherentRubric = RiskPolicy['inherent'];
/** The id of every risk rule, as the policy names it. */
export type RiskRuleId = keyof RiskPolicy['rules'];

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
