/**
 * Vendors as procurement registers them at intake, and the inherent-risk rubric that turns the
 * profile into a tier (1 = most critical … 4). Pure: ids and times are arguments.
 */
import { z } from 'zod';
import {
  CRITICALITIES,
  DATA_CLASSIFICATIONS,
  DATA_TYPES,
  RECORD_VOLUMES,
  SYSTEM_ACCESS_LEVELS,
  VENDOR_STATUSES,
  type Criticality,
  type DataClassification,
  type DataType,
  type RecordVolume,
  type SystemAccess,
  type Tier,
  type VendorStatus,
} from './profile-values.ts';
import { RISK_POLICY } from './risk/risk-policy.ts';

export {
  CRITICALITIES,
  DATA_CLASSIFICATIONS,
  DATA_TYPES,
  SYSTEM_ACCESS_LEVELS,
  RECORD_VOLUMES,
  VENDOR_STATUSES,
  type Criticality,
  type DataClassification,
  type DataType,
  type SystemAccess,
  type RecordVolume,
  type VendorStatus,
  type Tier,
} from './profile-values.ts';

const httpsUrl = z
  .string()
  .trim()
  .max(2048)
  .url({ message: 'must be a URL such as https://example.com' })
  .refine((v) => /^https?:\/\//i.test(v), { message: 'must start with http:// or https://' });

const shortText = (max: number) => z.string().trim().min(1, { message: 'must not be empty' }).max(max, { message: `must be at most ${max} characters` });

/** The intake profile's fields, with no defaults (a patch must not reset what it does not name). */
const profileShape = {
  name: shortText(200),
  website: httpsUrl,
  contactEmail: z.string().trim().max(320).email({ message: 'must be an email address' }),
  contactName: shortText(200),
  criticality: z.enum(CRITICALITIES),
  dataClassification: z.enum(DATA_CLASSIFICATIONS),
  description: z.string().trim().max(4000),
  services: z.array(shortText(200)).max(50),
  dataTypes: z.array(z.enum(DATA_TYPES)).max(DATA_TYPES.length),
  systemAccess: z.enum(SYSTEM_ACCESS_LEVELS),
  recordVolume: z.enum(RECORD_VOLUMES),
  businessOwner: shortText(200),
};

/** What procurement sends to register a vendor. Unknown fields are rejected so typos are not silently dropped. */
export const vendorIntakeSchema = z
  .object({
    ...profileShape,
    contactName: profileShape.contactName.optional(),
    description: profileShape.description.optional(),
    services: profileShape.services.default([]),
    dataTypes: profileShape.dataTypes.default([]),
    systemAccess: profileShape.systemAccess.default('none'),
    recordVolume: profileShape.recordVolume.default('none'),
    businessOwner: profileShape.businessOwner.optional(),
  })
  .strict();

/** A partial update of the intake profile (and the vendor's status). At least one field. */
export const vendorPatchSchema = z
  .object({ ...profileShape, status: z.enum(VENDOR_STATUSES) })
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'send at least one field to change' });

export type VendorIntake = z.infer<typeof vendorIntakeSchema>;
export type VendorPatch = z.infer<typeof vendorPatchSchema>;

export interface RiskContribution {
  factor: 'dataClassification' | 'dataTypes' | 'systemAccess' | 'criticality' | 'recordVolume';
  value: string;
  points: number;
  reason: string;
}

/** Inherent risk: the harm a vendor could do before its controls are considered, with every point explained. */
export interface InherentRisk {
  score: number;
  tier: Tier;
  rubricVersion: string;
  contributions: RiskContribution[];
  tierReason: string;
}

export interface Vendor {
  id: string;
  name: string;
  website: string;
  contactEmail: string;
  contactName: string | null;
  description: string | null;
  criticality: Criticality;
  dataClassification: DataClassification;
  services: string[];
  dataTypes: DataType[];
  systemAccess: SystemAccess;
  recordVolume: RecordVolume;
  businessOwner: string | null;
  status: VendorStatus;
  inherentRisk: InherentRisk;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
}

/**
 * The stored vendor record, checked when read back (the adapter's `readStored`): a field renamed in the code but not
 * in the data, or the other way round, fails loudly instead of reading `undefined`. Text is not re-validated as on
 * intake (records written under earlier rules stay readable); the shape and the enumerations are.
 */
export const vendorRecordSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    website: z.string(),
    contactEmail: z.string(),
    contactName: z.string().nullable(),
    description: z.string().nullable(),
    criticality: z.enum(CRITICALITIES),
    dataClassification: z.enum(DATA_CLASSIFICATIONS),
    services: z.array(z.string()),
    dataTypes: z.array(z.enum(DATA_TYPES)),
    systemAccess: z.enum(SYSTEM_ACCESS_LEVELS),
    recordVolume: z.enum(RECORD_VOLUMES),
    businessOwner: z.string().nullable(),
    status: z.enum(VENDOR_STATUSES),
    inherentRisk: z
      .object({
        score: z.number(),
        tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
        rubricVersion: z.string(),
        contributions: z.array(z.object({ factor: z.enum(['dataClassification', 'dataTypes', 'systemAccess', 'criticality', 'recordVolume']), value: z.string(), points: z.number(), reason: z.string() }).strict()),
        tierReason: z.string(),
      })
      .strict(),
    version: z.number().int().min(1),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string(),
  })
  .strict() satisfies z.ZodType<Vendor>;

/** The version of the stored vendor's shape; items written before versions were stored read as version 1. */
export const VENDOR_SCHEMA_VERSION = 1;

/**
 * Inherent-risk rubric, read from the versioned risk policy (shared/domain/risk/risk-policy.json, explained in
 * docs/risk-model.md). In policy 2026-11, points per factor (sum capped at 100):
 * - data classification: public 0, internal 10, confidential 25, restricted 35
 * - data types: the most sensitive type's weight (health, payment, credentials 20; personal, financial 12;
 *   employee, customer content, intellectual property 10) plus 3 for each further type, at most 25
 * - access to our systems: none 0, network 10, privileged 20
 * - business criticality: low 0, medium 7, high 14, critical 20
 * - record volume: none/under 1k 0, 1k-100k 3, 100k-1m 6, over 1m 10
 * Tier: score ≥ 65 → 1; ≥ 45 → 2; ≥ 25 → 3; else 4. Two overrides: privileged access to restricted data is
 * always tier 1, and a critical service is never below tier 2.
 */
export const INHERENT_RISK_RUBRIC = { version: RISK_POLICY.version, ...RISK_POLICY.inherent } as const;

type RiskProfile = Pick<Vendor, 'dataClassification' | 'dataTypes' | 'systemAccess' | 'criticality' | 'recordVolume'>;

/** Applies the inherent-risk rubric to a vendor profile. */
export function assessInherentRisk(profile: RiskProfile): InherentRisk {
  const r = INHERENT_RISK_RUBRIC;
  const types = [...new Set(profile.dataTypes)].sort((a, b) => r.dataTypes[b] - r.dataTypes[a] || a.localeCompare(b));
  const typePoints = types.length === 0 ? 0 : Math.min(r.dataTypesCap, r.dataTypes[types[0]!] + r.dataTypesExtraPerType * (types.length - 1));
  const contributions: RiskContribution[] = [
    { factor: 'dataClassification', value: profile.dataClassification, points: r.dataClassification[profile.dataClassification], reason: `data classified ${profile.dataClassification}` },
    {
      factor: 'dataTypes',
      value: types.join(', ') || 'none',
      points: typePoints,
      reason: types.length === 0 ? 'no sensitive data types shared' : `most sensitive shared type is ${types[0]}${types.length > 1 ? ` (+${types.length - 1} more)` : ''}`,
    },
    { factor: 'systemAccess', value: profile.systemAccess, points: r.systemAccess[profile.systemAccess], reason: `access to our systems: ${profile.systemAccess}` },
    { factor: 'criticality', value: profile.criticality, points: r.criticality[profile.criticality], reason: `business criticality ${profile.criticality}` },
    { factor: 'recordVolume', value: profile.recordVolume, points: r.recordVolume[profile.recordVolume], reason: `record volume ${profile.recordVolume}` },
  ];
  const score = Math.min(100, contributions.reduce((sum, c) => sum + c.points, 0));
  let tier: Tier = r.tierThresholds.find((t) => score >= t.minScore)?.tier ?? 4;
  let tierReason = tier === 4 ? `score ${score} is below ${r.tierThresholds[r.tierThresholds.length - 1]!.minScore}` : `score ${score} is at least ${r.tierThresholds.find((t) => t.tier === tier)!.minScore}`;
  if (profile.systemAccess === 'privileged' && profile.dataClassification === 'restricted' && tier > 1) {
    tier = 1;
    tierReason = 'privileged access to restricted data is always tier 1';
  } else if (profile.criticality === 'critical' && tier > 2) {
    tier = 2;
    tierReason = 'a critical service is never below tier 2';
  }
  return { score, tier, rubricVersion: r.version, contributions, tierReason };
}

/** Builds a new vendor from validated intake. */
export function newVendor(intake: VendorIntake, ids: { id: string; now: string; actor: string }): Vendor {
  const profile = {
    name: intake.name,
    website: intake.website,
    contactEmail: intake.contactEmail.toLowerCase(),
    contactName: intake.contactName ?? null,
    description: intake.description ?? null,
    criticality: intake.criticality,
    dataClassification: intake.dataClassification,
    services: intake.services ?? [],
    dataTypes: [...new Set(intake.dataTypes ?? [])],
    systemAccess: intake.systemAccess ?? 'none',
    recordVolume: intake.recordVolume ?? 'none',
    businessOwner: intake.businessOwner ?? null,
  };
  return {
    id: ids.id,
    ...profile,
    status: 'onboarding',
    inherentRisk: assessInherentRisk(profile),
    version: 1,
    createdAt: ids.now,
    updatedAt: ids.now,
    createdBy: ids.actor,
  };
}

/** Applies a patch; returns the new vendor (next version) and the names of the fields that changed. */
export function patchVendor(vendor: Vendor, patch: VendorPatch, now: string): { vendor: Vendor; changed: string[] } {
  const next: Vendor = { ...vendor };
  const changed: string[] = [];
  for (const [key, raw] of Object.entries(patch) as [keyof VendorPatch, unknown][]) {
    if (raw === undefined) continue;
    const value = key === 'contactEmail' ? (raw as string).toLowerCase() : key === 'dataTypes' ? [...new Set(raw as DataType[])] : raw;
    if (JSON.stringify((vendor as unknown as Record<string, unknown>)[key]) !== JSON.stringify(value)) {
      (next as unknown as Record<string, unknown>)[key] = value;
      changed.push(key);
    }
  }
  if (changed.length === 0) return { vendor, changed };
  next.inherentRisk = assessInherentRisk(next);
  next.version = vendor.version + 1;
  next.updatedAt = now;
  return { vendor: next, changed };
}
