/**
 * Reads the vendor's documents the way a reviewer does, once, for both the score and the findings: which SOC report
 * is current, how fresh it is (with bridge-letter coverage), what its opinion and exceptions weigh, which required
 * categories it leaves out, which hosting subservice organizations it carves out, and whether an ISO/IEC 27001
 * certificate is valid on the day of the assessment.
 */
import { ValidationError } from '../errors.ts';
import { CRITERION_ID_PATTERN } from '../questionnaire/trust-services-criteria.ts';
import type { ControlException, Evidence, ReportAnalysis, TrustServicesCategory } from '../soc2/types.ts';
import type { Vendor } from '../vendor.ts';
import { addMonths, dayNumber, DAYS_PER_MONTH, requireDayNumber } from './calendar.ts';
import { parseExceptionRate, type ExceptionRate } from './exception-rate.ts';
import type { QuestionnaireEvidence } from './questionnaire-evidence.ts';
import type { EvidenceKind, FindingSeverity, RiskPolicy } from './risk-policy.ts';
import type { ScopeFitOverride } from './scope-fit.ts';

/** The profile fields the risk model reads (a whole `Vendor` fits). */
export type RiskProfile = Pick<Vendor, 'dataClassification' | 'dataTypes' | 'systemAccess' | 'criticality' | 'recordVolume'> & {
  /** The services we buy, in procurement's words (scope fit compares them with the report); none when absent. */
  services?: readonly string[];
};

/** An analyzed document of the vendor. */
export interface RiskDocument {
  documentId: string;
  fileName: string;
  analysis: ReportAnalysis;
  /** When the file was uploaded (a carried-over copy keeps its original time): the later of two equal reports is current. */
  uploadedAt?: string;
}

/** Everything a residual-risk score (and its findings) is computed from. The same input always gives the same output. */
export interface ResidualRiskInput {
  vendor: RiskProfile;
  documents: RiskDocument[];
  questionnaires: QuestionnaireEvidence[];
  /** The day of the assessment, YYYY-MM-DD: every age and due date is counted from it. */
  asOf: string;
  /** Security's override of the scope-fit verdict, if any (applied only to the report it was given for). */
  scopeFitOverride?: ScopeFitOverride | null;
}

export type OpinionKey = 'unqualified' | 'qualified' | 'adverse' | 'disclaimer' | 'unknown';

/** An exception of the current report with what it weighs. */
export interface WeighedException {
  /** 1-based position in the report's exception list (part of the finding id). */
  number: number;
  exception: ControlException;
  /** The primary criterion as the report states it, or null when none is stated. */
  criterion: string | null;
  /** The 2017 criterion group the weight is read for (pre-2017 ids are renumbered first), or null. */
  group: string | null;
  category: TrustServicesCategory;
  weight: number;
  rate: ExceptionRate | null;
  multiplier: number;
  /** Assurance points the exception removes from its category: weight × multiplier. */
  deduction: number;
}

export interface BridgeCoverage {
  document: RiskDocument;
  coveredUntil: string;
  coveredDays: number;
}

/** The current SOC 2 / SOC 3 report and what the policy makes of it. */
export interface CurrentReport {
  document: RiskDocument;
  kind: Extract<EvidenceKind, 'soc2-type2' | 'soc2-type1' | 'soc2-unknown-type' | 'soc3'>;
  label: string;
  strength: number;
  opinion: OpinionKey;
  opinionFactor: number;
  /** Criteria ids named in the opinion's evidence quote (the basis of a qualification). */
  opinionCriteria: string[];
  periodEnd: string | null;
  /** Whole calendar months from the period end to asOf. */
  monthsSincePeriodEnd: number | null;
  bridge: BridgeCoverage | null;
  /** Months after the end of the period and of any connecting bridge letter. */
  uncoveredMonths: number | null;
  /** Age used by the staleness curve: uncovered months plus bridged months at (1 − bridge credit). */
  effectiveMonths: number | null;
  freshnessFactor: number;
  stale: boolean;
  bridgeGap: boolean;
  categories: TrustServicesCategory[];
  exceptions: WeighedException[];
  superseded: RiskDocument[];
}

export interface IsoCertificate {
  document: RiskDocument;
  issuedOn: string | null;
  expiresOn: string | null;
  valid: boolean;
  /** Why it is not valid, or the validity window. */
  reason: string;
}

export interface CoverageGap {
  category: TrustServicesCategory;
  reason: string;
  points: number;
  severity: FindingSeverity;
}

export interface CarvedOutHost {
  name: string;
  services: string | null;
}

export interface EvidenceAssessment {
  asOfDay: number;
  requiredCategories: TrustServicesCategory[];
  /** The coverage rule behind each required category other than security. */
  requirementReasons: Partial<Record<TrustServicesCategory, string>>;
  report: CurrentReport | null;
  iso: IsoCertificate | null;
  coverageGaps: CoverageGap[];
  carvedOutHosts: CarvedOutHost[];
  evidenceKinds: EvidenceKind[];
  sharesData: boolean;
}

const CATEGORY_ORDER: readonly TrustServicesCategory[] = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];

/** The category a criterion id belongs to (CC → security). */
export function criterionCategory(id: string): TrustServicesCategory | null {
  if (/^CC\d/.test(id)) return 'security';
  if (/^PI\d/.test(id)) return 'processing-integrity';
  if (/^A\d/.test(id)) return 'availability';
  if (/^C\d/.test(id)) return 'confidentiality';
  if (/^P\d/.test(id)) return 'privacy';
  return null;
}

/** The policy's weight group of a criterion id: CC1…CC9, A1, C1, PI1 or P. */
export function criterionGroup(id: string): string | null {
  const cc = /^(CC\d)\./.exec(id);
  if (cc) return cc[1]!;
  const other = /^(A1|C1|PI1|P\d)\./.exec(id);
  if (!other) return null;
  return other[1]!.startsWith('P') && !other[1]!.startsWith('PI') ? 'P' : other[1]!;
}

const CRITERION_IN_TEXT = new RegExp(String.raw`\b${CRITERION_ID_PATTERN}\b`, 'g');

function reportKind(analysis: ReportAnalysis): CurrentReport['kind'] | null {
  if (analysis.documentKind === 'soc3') return 'soc3';
  if (analysis.documentKind !== 'soc2') return null;
  if (analysis.reportType === 'type2') return 'soc2-type2';
  if (analysis.reportType === 'type1') return 'soc2-type1';
  return 'soc2-unknown-type';
}

const KIND_LABEL: Record<CurrentReport['kind'], string> = {
  'soc2-type2': 'SOC 2 Type II',
  'soc2-type1': 'SOC 2 Type I',
  'soc2-unknown-type': 'SOC 2 (type not stated)',
  soc3: 'SOC 3',
};

/** The end of the period a report speaks for (its report date when no period was read). */
function coverageEnd(analysis: ReportAnalysis): string | null {
  const end = analysis.period?.end ?? analysis.reportDate;
  return end !== null && dayNumber(end) !== null ? end : null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function freshness(policy: RiskPolicy, months: number | null): number {
  const s = policy.assurance.staleness;
  if (months === null) return s.unknownPeriodFactor;
  return s.bands.find((b) => months <= b.maxMonths)?.factor ?? s.beyondFactor;
}

function weighException(policy: RiskPolicy, exception: ControlException, number: number, preTwentySeventeen: boolean): WeighedException {
  const e = policy.assurance.exceptions;
  const criterion = exception.criteria[0] ?? null;
  let group = criterion === null ? null : criterionGroup(criterion);
  if (group !== null && preTwentySeventeen) group = e.pre2017GroupMap[group] ?? group;
  const weight = group === null ? e.unmappedWeight : (e.criterionGroupWeights[group] ?? e.unmappedWeight);
  const rate = parseExceptionRate(exception.description);
  const multiplier = rate === null ? e.rate.unknownMultiplier : Math.min(e.rate.max, e.rate.base + e.rate.perUnitRate * (rate.failures / rate.sample));
  const category = (criterion === null ? null : criterionCategory(criterion)) ?? 'security';
  return { number, exception, criterion, group, category, weight, rate, multiplier, deduction: weight * multiplier };
}

function selectCurrentReport(input: ResidualRiskInput, policy: RiskPolicy, asOfDay: number): CurrentReport | null {
  const candidates = input.documents
    .map((document) => ({ document, kind: reportKind(document.analysis), end: coverageEnd(document.analysis) }))
    .filter((c): c is { document: RiskDocument; kind: CurrentReport['kind']; end: string | null } => c.kind !== null)
    .sort(
      (a, b) =>
        (b.end ?? '').localeCompare(a.end ?? '') ||
        policy.assurance.evidenceStrength[b.kind] - policy.assurance.evidenceStrength[a.kind] ||
        (b.document.uploadedAt ?? '').localeCompare(a.document.uploadedAt ?? '') ||
        a.document.documentId.localeCompare(b.document.documentId),
    );
  const chosen = candidates[0];
  if (!chosen) return null;
  const { document, kind, end } = chosen;
  const analysis = document.analysis;
  const s = policy.assurance.staleness;
  const strength = policy.assurance.evidenceStrength[kind];
  const opinion: OpinionKey = analysis.opinion ?? 'unknown';
  const endDay = end === null ? null : dayNumber(end)!;

  let bridge: BridgeCoverage | null = null;
  if (endDay !== null) {
    for (const letter of input.documents) {
      if (letter.analysis.documentKind !== 'bridge-letter' || letter.analysis.period === null) continue;
      const startDay = letter.analysis.period.start === null ? endDay : dayNumber(letter.analysis.period.start);
      const letterEndDay = dayNumber(letter.analysis.period.end);
      if (startDay === null || letterEndDay === null) continue;
      if (startDay > endDay + s.bridgeLetterToleranceDays || letterEndDay <= endDay) continue;
      const coveredDays = Math.max(0, Math.min(letterEndDay, asOfDay) - endDay);
      if (bridge === null || coveredDays > bridge.coveredDays || (coveredDays === bridge.coveredDays && letter.documentId < bridge.document.documentId)) {
        bridge = { document: letter, coveredUntil: letter.analysis.period.end, coveredDays };
      }
    }
  }
  let uncoveredMonths: number | null = null;
  let effectiveMonths: number | null = null;
  let monthsSincePeriodEnd: number | null = null;
  if (endDay !== null) {
    const gapDays = Math.max(0, asOfDay - endDay);
    const covered = Math.min(bridge?.coveredDays ?? 0, gapDays);
    uncoveredMonths = round2((gapDays - covered) / DAYS_PER_MONTH);
    effectiveMonths = round2((gapDays - covered * s.bridgeLetterCredit) / DAYS_PER_MONTH);
    monthsSincePeriodEnd = Math.floor(gapDays / DAYS_PER_MONTH);
  }
  const freshnessFactor = freshness(policy, effectiveMonths);
  const preTwentySeventeen = analysis.criteriaVersion === 'pre-2017';
  const exceptions = kind === 'soc2-type2' ? (analysis.exceptions ?? []).map((e, i) => weighException(policy, e, i + 1, preTwentySeventeen)) : [];
  const inScope = new Set<TrustServicesCategory>(analysis.trustServicesCategories);
  inScope.add('security');
  const opinionQuote = analysis.evidence.opinion?.quote ?? '';
  return {
    document,
    kind,
    label: KIND_LABEL[kind],
    strength,
    opinion,
    opinionFactor: policy.assurance.opinionFactor[opinion],
    opinionCriteria: [...new Set(opinionQuote.match(CRITERION_IN_TEXT) ?? [])],
    periodEnd: end,
    monthsSincePeriodEnd,
    bridge: bridge !== null && bridge.coveredDays > 0 ? bridge : null,
    uncoveredMonths,
    effectiveMonths,
    freshnessFactor,
    stale: effectiveMonths !== null && effectiveMonths > s.staleAfterMonths,
    bridgeGap: uncoveredMonths !== null && uncoveredMonths > s.bridgeExpectedAfterMonths,
    categories: CATEGORY_ORDER.filter((c) => inScope.has(c)),
    exceptions,
    superseded: candidates.slice(1).map((c) => c.document),
  };
}

function assessIso(input: ResidualRiskInput, policy: RiskPolicy, asOf: string): IsoCertificate | null {
  const iso = policy.assurance.iso27001;
  const certificates = input.documents
    .filter((d) => d.analysis.documentKind === 'iso27001')
    .map((document): IsoCertificate => {
      const a = document.analysis;
      const issuedOn = a.reportDate !== null && dayNumber(a.reportDate) !== null ? a.reportDate : null;
      let expiresOn = a.period?.end && dayNumber(a.period.end) !== null ? a.period.end : issuedOn === null ? null : addMonths(issuedOn, iso.validityMonths);
      const text = [...a.warnings, ...Object.values(a.evidence).map((e) => e.quote)].join('\n');
      let retired: string | null = null;
      for (const [edition, retiredOn] of Object.entries(iso.editionRetiredOn)) {
        if (new RegExp(String.raw`27001\s*:\s*${edition}`).test(text) && (expiresOn === null || retiredOn < expiresOn)) {
          expiresOn = retiredOn;
          retired = edition;
        }
      }
      if (expiresOn === null) return { document, issuedOn, expiresOn, valid: false, reason: 'neither an expiry nor an issue date could be read' };
      if (issuedOn !== null && issuedOn > asOf) return { document, issuedOn, expiresOn, valid: false, reason: `issued on ${issuedOn}, after ${asOf}` };
      if (expiresOn < asOf) {
        return { document, issuedOn, expiresOn, valid: false, reason: retired === null ? `expired on ${expiresOn}` : `ISO/IEC 27001:${retired} certificates expired on ${expiresOn} (edition transition)` };
      }
      return { document, issuedOn, expiresOn, valid: true, reason: `valid until ${expiresOn}` };
    })
    .sort((a, b) => Number(b.valid) - Number(a.valid) || (b.expiresOn ?? '').localeCompare(a.expiresOn ?? '') || a.document.documentId.localeCompare(b.document.documentId));
  return certificates[0] ?? null;
}

function matchesRule(vendor: RiskProfile, when: RiskPolicy['rules']['category-out-of-scope']['requirements'][number]['when']): boolean {
  if (when.criticality && !when.criticality.includes(vendor.criticality)) return false;
  if (when.dataClassification && !when.dataClassification.includes(vendor.dataClassification)) return false;
  if (when.dataTypes && !when.dataTypes.some((t) => vendor.dataTypes.includes(t))) return false;
  return true;
}

function isHosting(policy: RiskPolicy, name: string, services: string | null): boolean {
  const c = policy.rules['hosting-carve-out'];
  const lowerName = name.toLowerCase();
  const text = `${lowerName} ${(services ?? '').toLowerCase()}`;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (c.knownHostingProviders.some((p) => new RegExp(String.raw`\b${escape(p)}\b`).test(text))) return true;
  return services !== null && c.hostingKeywords.some((k) => services.toLowerCase().includes(k));
}

/** Reads the documents and questionnaires against the vendor's profile under the policy. */
export function assessEvidence(input: ResidualRiskInput, policy: RiskPolicy): EvidenceAssessment {
  const asOfDay = requireDayNumber(input.asOf, 'asOf');
  const duplicates = [
    ...repeated(input.documents.map((d) => d.documentId)).map((id) => ({ path: 'documents', message: `document ${id} is listed more than once` })),
    ...repeated(input.questionnaires.map((q) => q.templateId)).map((id) => ({ path: 'questionnaires', message: `template ${id} is listed more than once: pass one (the latest) response per template` })),
  ];
  if (duplicates.length > 0) throw new ValidationError('The risk input lists the same evidence twice', duplicates, 'duplicate-evidence');
  const requirementReasons: Partial<Record<TrustServicesCategory, string>> = {};
  const coverageRules = policy.rules['category-out-of-scope'].requirements.filter((rule) => matchesRule(input.vendor, rule.when));
  for (const rule of coverageRules) requirementReasons[rule.category] ??= rule.reason;
  const required = new Set<TrustServicesCategory>(['security', ...coverageRules.map((r) => r.category)]);
  const report = selectCurrentReport(input, policy, asOfDay);
  const iso = assessIso(input, policy, input.asOf);
  const coverageGaps: CoverageGap[] = [];
  if (report !== null) {
    const seen = new Set<TrustServicesCategory>();
    for (const rule of coverageRules) {
      if (report.categories.includes(rule.category) || seen.has(rule.category)) continue;
      seen.add(rule.category);
      coverageGaps.push({ category: rule.category, reason: rule.reason, points: rule.points, severity: rule.severity });
    }
  }
  const sharesData = input.vendor.dataClassification !== 'public' || input.vendor.dataTypes.length > 0;
  const carvedOutHosts =
    report === null || !sharesData
      ? []
      : report.document.analysis.subserviceOrganizations.filter((s) => s.method === 'carve-out' && isHosting(policy, s.name, s.services)).map((s) => ({ name: s.name, services: s.services }));
  const evidenceKinds: EvidenceKind[] = [];
  if (report !== null) evidenceKinds.push(report.kind);
  if (iso?.valid) evidenceKinds.push('iso27001');
  if (input.questionnaires.length > 0) evidenceKinds.push('questionnaire');
  return {
    asOfDay,
    requiredCategories: CATEGORY_ORDER.filter((c) => required.has(c)),
    requirementReasons,
    report,
    iso,
    coverageGaps,
    carvedOutHosts,
    evidenceKinds,
    sharesData,
  };
}

const repeated = (values: string[]) => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

/** The evidence a report's analyzer recorded for a field, as a contribution source's page and quote. */
export function citation(document: RiskDocument, field: string): { page: number | null; quote: string | null } {
  const evidence: Evidence | undefined = document.analysis.evidence[field];
  return { page: evidence?.page ?? null, quote: evidence?.quote ?? null };
}
