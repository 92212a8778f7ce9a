/**
 * The values of a vendor's intake profile and of the risk model's shared vocabularies, in one leaf module that
 * imports nothing: the vendor (vendor.ts) and the risk policy (risk/risk-policy.ts) both read them, and neither has to
 * import the other to name a criticality or a severity.
 */

export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;
export const DATA_CLASSIFICATIONS = ['public', 'internal', 'confidential', 'restricted'] as const;
export const DATA_TYPES = [
  'personal',
  'health',
  'payment',
  'credentials',
  'financial',
  'customer-content',
  'intellectual-property',
  'employee',
] as const;
export const SYSTEM_ACCESS_LEVELS = ['none', 'network', 'privileged'] as const;
export const RECORD_VOLUMES = ['none', 'under-1k', '1k-100k', '100k-1m', 'over-1m'] as const;
export const VENDOR_STATUSES = ['active', 'onboarding', 'offboarded'] as const;

export type Criticality = (typeof CRITICALITIES)[number];
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];
export type DataType = (typeof DATA_TYPES)[number];
export type SystemAccess = (typeof SYSTEM_ACCESS_LEVELS)[number];
export type RecordVolume = (typeof RECORD_VOLUMES)[number];
export type VendorStatus = (typeof VENDOR_STATUSES)[number];
/** Inherent-risk tier: 1 = most critical … 4. */
export type Tier = 1 | 2 | 3 | 4;

export const RISK_RATINGS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskRating = (typeof RISK_RATINGS)[number];

export const FINDING_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type FindingSeverity = (typeof FINDING_SEVERITIES)[number];

/** Kinds of evidence, strongest first; "questionnaire" is the vendor's own answers. */
export const EVIDENCE_KINDS = ['soc2-type2', 'soc2-type1', 'soc2-unknown-type', 'soc3', 'iso27001', 'questionnaire'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
