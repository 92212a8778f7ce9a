/**
 * Fourth parties: the subservice organizations our vendors' current reports name, seen across the portfolio ("which
 * of our vendors go down if Amazon Web Services fails?"). Kept incrementally: each vendor's register line holds its
 * dependencies, and a change of the line moves the per-provider membership items and counters in the same atomic
 * write (changesOf, countsAfterChange). The concentration rule of the risk policy reads those counters. Pure.
 */
import { z } from 'zod';
import { CRITICALITIES, DATA_CLASSIFICATIONS, type DataClassification, type FindingSeverity, type Tier } from './profile-values.ts';
import { assessEvidence, type ResidualRiskInput, type RiskDocument } from './risk/evidence-assessment.ts';
import type { RiskPolicy } from './risk/risk-policy.ts';
import { organizationKey } from './soc2/names/canonical-names.ts';
import type { ReportAnalysis } from './soc2/types.ts';

/** Stored with every membership and counter item; a reader refuses any other version. */
export const FOURTH_PARTY_SCHEMA_VERSION = 1;

/** Where a dependency is stated: the document and, when the analyzer cites it, the page of its subservice list. */
export const fourthPartyCitationSchema = z.object({ documentId: z.string().min(1), fileName: z.string(), page: z.number().int().nullable() }).strict();

/** One provider a vendor's current report names, as that report states it. */
export const fourthPartyDependencySchema = z
  .object({
    /** organizationKey with hyphens for spaces ("amazon-web-services"): the provider's id in keys and URLs. */
    providerKey: z.string().min(1),
    /** Canonical name ("Amazon Web Services"). */
    provider: z.string().min(1),
    method: z.enum(['carve-out', 'inclusive']),
    services: z.string().nullable(),
    /** A cloud region the report states for it ("us-east-1"), else null. */
    region: z.string().nullable(),
    citation: fourthPartyCitationSchema,
  })
  .strict();

export type FourthPartyCitation = z.infer<typeof fourthPartyCitationSchema>;
export type FourthPartyDependency = z.infer<typeof fourthPartyDependencySchema>;

/** The provider's id: a canonical name's key, words joined by hyphens (reversible: keys hold single spaces). */
export const providerKeyOf = (name: string): string => organizationKey(name).replaceAll(' ', '-');

/**
 * Region names as cloud providers write them: AWS ("us-east-1", "eu-central-1", "us-gov-west-1"), Google Cloud
 * ("us-central1", "europe-west3"), Azure ("East US 2", "West Europe"). Only a stated code or name counts: a country
 * alone ("hosted in the United States") is a location, not a failure domain.
 */
const AWS_DIRECTIONS = 'north|south|east|west|central|northeast|southeast|northwest|southwest';
/** AWS codes may lose a hyphen where a PDF line broke inside them ("us-\neast-1" read as "useast-1"). */
const REGION = new RegExp(
  `\\b(?<aws>(?:us|eu|ap|ca|sa|me|af|il|mx)-?(?:gov-?)?(?:${AWS_DIRECTIONS})-?\\d)\\b` +
    `|\\b(?<gcp>(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:${AWS_DIRECTIONS})\\d)\\b` +
    '|\\b(?<azure>(?:East|West|Central|North Central|South Central|West Central) US(?: \\d)?|(?:North|West) Europe|UK (?:South|West)|(?:Southeast|East) Asia)\\b',
);
const AWS_CODE = new RegExp(`^(?<area>us|eu|ap|ca|sa|me|af|il|mx)-?(?<gov>gov-?)?(?<direction>${AWS_DIRECTIONS})-?(?<n>\\d)$`);

/** The region a text states, if any (the first), AWS codes written with their hyphens. */
export function regionStated(text: string | null | undefined): string | null {
  if (!text) return null;
  const m = REGION.exec(text);
  if (!m?.groups) return null;
  const aws = m.groups.aws ? AWS_CODE.exec(m.groups.aws)?.groups : undefined;
  if (aws) return `${aws.area}-${aws.gov ? 'gov-' : ''}${aws.direction}-${aws.n}`;
  return m.groups.gcp ?? m.groups.azure ?? null;
}

/**
 * The documents whose subservice organizations are the vendor's dependencies: the current SOC report as the risk
 * model reads it (a reassessment's carried-over older report does not count once a newer one is there), or every
 * analyzed document when there is no SOC report.
 */
export function currentReportDocuments(input: ResidualRiskInput, policy: RiskPolicy): RiskDocument[] {
  const report = assessEvidence(input, policy).report;
  return report ? [report.document] : input.documents;
}

/**
 * The providers the analyzed evidence of an assessment names, one per provider (the first document that names it
 * wins; services and region are taken from a later one when the first does not state them).
 */
export function dependenciesFrom(documents: readonly { documentId: string; fileName: string; analysis: Pick<ReportAnalysis, 'subserviceOrganizations' | 'evidence'> }[]): FourthPartyDependency[] {
  const byKey = new Map<string, FourthPartyDependency>();
  for (const d of documents) {
    const page = d.analysis.evidence?.subserviceOrganizations?.page ?? null;
    for (const s of d.analysis.subserviceOrganizations ?? []) {
      const providerKey = providerKeyOf(s.name);
      if (!providerKey) continue;
      const region = regionStated(s.services) ?? regionStated(s.nameAsWritten);
      const known = byKey.get(providerKey);
      if (known) {
        known.services ??= s.services;
        known.region ??= region;
        continue;
      }
      byKey.set(providerKey, { providerKey, provider: s.name.trim(), method: s.method, services: s.services, region, citation: { documentId: d.documentId, fileName: d.fileName, page } });
    }
  }
  return [...byKey.values()].sort((a, b) => a.providerKey.localeCompare(b.providerKey));
}

// ---- membership ----

export const fourthPartyMemberSchema = fourthPartyDependencySchema
  .extend({
    vendorId: z.string().min(1),
    vendorName: z.string().min(1),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    criticality: z.enum(CRITICALITIES),
    dataClassification: z.enum(DATA_CLASSIFICATIONS).nullable(),
    assessmentId: z.string().nullable(),
  })
  .strict();

/** One vendor on one provider: what the provider page lists. */
export type FourthPartyMember = z.infer<typeof fourthPartyMemberSchema>;

/** What a register line contributes (structurally: the line's fields that matter here). */
export interface FourthPartyLine {
  vendorId: string;
  vendorName: string;
  tier: Tier;
  criticality: string;
  status: string;
  dataClassification?: DataClassification | undefined;
  assessmentId: string | null;
  fourthParties?: FourthPartyDependency[] | undefined;
}

/** The vendor's memberships: one per provider of its current report; none once the vendor is offboarded. */
export function membersOf(line: FourthPartyLine | null): FourthPartyMember[] {
  if (!line || line.status === 'offboarded') return [];
  const criticality = (CRITICALITIES as readonly string[]).includes(line.criticality) ? (line.criticality as FourthPartyMember['criticality']) : 'low';
  return (line.fourthParties ?? []).map((d) => ({
    ...d,
    vendorId: line.vendorId,
    vendorName: line.vendorName,
    tier: line.tier,
    criticality,
    dataClassification: line.dataClassification ?? null,
    assessmentId: line.assessmentId,
  }));
}

/** A provider whose membership of one vendor changes: added (before null), removed (after null) or moved. */
export interface FourthPartyChange {
  providerKey: string;
  before: FourthPartyMember | null;
  after: FourthPartyMember | null;
}

/** The memberships a change of the line moves (unchanged ones are left out). */
export function changesOf(before: FourthPartyLine | null, after: FourthPartyLine | null): FourthPartyChange[] {
  const was = new Map(membersOf(before).map((m) => [m.providerKey, m]));
  const now = new Map(membersOf(after).map((m) => [m.providerKey, m]));
  const changes: FourthPartyChange[] = [];
  for (const providerKey of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const b = was.get(providerKey) ?? null;
    const a = now.get(providerKey) ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes.push({ providerKey, before: b, after: a });
  }
  return changes;
}

// ---- counters ----

export const fourthPartyCountsSchema = z
  .object({
    providerKey: z.string().min(1),
    provider: z.string().min(1),
    vendors: z.number().int().min(0),
    byTier: z.record(z.string(), z.number().int()),
    byDataClassification: z.record(z.string(), z.number().int()),
    byMethod: z.record(z.string(), z.number().int()),
  })
  .strict();

/** How many of our vendors (not offboarded) depend on one provider, by tier, data classification and method. */
export type FourthPartyCounts = z.infer<typeof fourthPartyCountsSchema>;

const UNCLASSIFIED = 'unknown';

function bump(map: Record<string, number>, key: string, sign: 1 | -1): void {
  const next = (map[key] ?? 0) + sign;
  if (next === 0) delete map[key];
  else map[key] = next;
}

/** Whether a change moves the provider's counts (a new services text or citation does not). */
export function countsMove(change: FourthPartyChange): boolean {
  const part = (m: FourthPartyMember | null) => (m ? [m.tier, m.dataClassification, m.method, m.provider] : null);
  return JSON.stringify(part(change.before)) !== JSON.stringify(part(change.after));
}

/** The provider's counts after one vendor's change; null when no vendor depends on it any more. Does not change `counts`. */
export function countsAfterChange(counts: FourthPartyCounts | null, change: FourthPartyChange): FourthPartyCounts | null {
  const next: FourthPartyCounts = counts ? structuredClone(counts) : { providerKey: change.providerKey, provider: (change.after ?? change.before)!.provider, vendors: 0, byTier: {}, byDataClassification: {}, byMethod: {} };
  for (const [member, sign] of [
    [change.before, -1],
    [change.after, 1],
  ] as const) {
    if (!member) continue;
    next.vendors += sign;
    bump(next.byTier, String(member.tier), sign);
    bump(next.byDataClassification, member.dataClassification ?? UNCLASSIFIED, sign);
    bump(next.byMethod, member.method, sign);
  }
  if (change.after) next.provider = change.after.provider;
  return next.vendors > 0 ? next : null;
}

/** Counts summed afresh from every member (the backfill's rebuild). */
export function countsFromMembers(members: readonly FourthPartyMember[]): Map<string, FourthPartyCounts> {
  const out = new Map<string, FourthPartyCounts>();
  for (const m of members) {
    const next = countsAfterChange(out.get(m.providerKey) ?? null, { providerKey: m.providerKey, before: null, after: m });
    if (next) out.set(m.providerKey, next);
  }
  return out;
}

// ---- the concentration rule ----

export const FOURTH_PARTY_RULE_ID = 'fourth-party-concentration';

/** A portfolio-level finding: too many of our tier-1 vendors depend on one provider. */
export interface ConcentrationFinding {
  ruleId: typeof FOURTH_PARTY_RULE_ID;
  severity: FindingSeverity;
  policyVersion: string;
  title: string;
  /** The provider's tier-1 vendors / all our tier-1 vendors (not offboarded). */
  share: number;
  tier1Vendors: number;
  portfolioTier1Vendors: number;
  threshold: { maxShareOfTier1: number; minVendors: number };
}

/** The share of our tier-1 vendors on the provider (0 when we have none). */
export const tier1ShareOf = (counts: Pick<FourthPartyCounts, 'byTier'>, portfolioTier1Vendors: number): number =>
  portfolioTier1Vendors > 0 ? (counts.byTier['1'] ?? 0) / portfolioTier1Vendors : 0;

/**
 * The concentration finding of a provider under `policy`, or null: raised when more than `maxShareOfTier1` of our
 * tier-1 vendors depend on it and at least `minVendors` of them do (a share of a handful of vendors is not a
 * concentration a team can act on).
 */
export function concentrationFinding(counts: FourthPartyCounts, portfolioTier1Vendors: number, policy: Pick<RiskPolicy, 'version' | 'fourthPartyConcentration'>): ConcentrationFinding | null {
  const rule = policy.fourthPartyConcentration;
  const tier1 = counts.byTier['1'] ?? 0;
  const share = tier1ShareOf(counts, portfolioTier1Vendors);
  if (tier1 < rule.minVendors || share <= rule.maxShareOfTier1) return null;
  const percent = (x: number) => `${Math.round(x * 100)} %`;
  return {
    ruleId: FOURTH_PARTY_RULE_ID,
    severity: rule.severity,
    policyVersion: policy.version,
    title: `${tier1} of our ${portfolioTier1Vendors} tier-1 vendors (${percent(share)}) depend on ${counts.provider}; the policy allows ${percent(rule.maxShareOfTier1)}`,
    share,
    tier1Vendors: tier1,
    portfolioTier1Vendors,
    threshold: { maxShareOfTier1: rule.maxShareOfTier1, minVendors: rule.minVendors },
  };
}
