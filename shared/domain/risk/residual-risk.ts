/**
 * Residual risk: the inherent risk left after the evidence, explained point by point (formula and weights in
 * docs/risk-model.md). The score is the sum of its contributions, each an integer naming its source: a profile
 * field, a question and its answer, a report field and page, or a policy rule. Pure and deterministic.
 */
import type { TrustServicesCategory } from '../soc2/types.ts';
import { assessInherentRisk, type Tier } from '../vendor.ts';
import { CATEGORY_LABEL, documentSource, fmt, riskIssuesOf, type ContributionSource } from './issues.ts';
import {
  criterionCategory,
  type CurrentReport,
  type EvidenceAssessment,
  type ResidualRiskInput,
} from './evidence-assessment.ts';
import type { QuestionnaireEvidence, ScoredAnswer } from './questionnaire-evidence.ts';
import type { ScopeFit } from './scope-fit.ts';
import { RISK_POLICY, type EvidenceKind, type RiskPolicy, type RiskRating } from './risk-policy.ts';

export { CATEGORY_LABEL, slug, type ContributionSource } from './issues.ts';

export interface ScoreContribution {
  /** Stable within a score, e.g. "inherent:dataClassification", "assurance:security:doc:d1:exception:2". */
  id: string;
  /** inherent: profile points; assurance: reduction earned by evidence (≤ 0); penalty: a problem the evidence shows (≥ 0); adjustment: a cap. */
  kind: 'inherent' | 'assurance' | 'penalty' | 'adjustment';
  /** Integer points; the contributions of a score add up to it exactly. */
  points: number;
  /** The unrounded share (2 decimals); points are these shares apportioned to integers (largest remainder). */
  exactPoints: number;
  category: TrustServicesCategory | null;
  description: string;
  source: ContributionSource;
}

/** What the evidence says about one Trust Services category. */
export interface CategoryAssurance {
  /** Whether the vendor's profile requires this category (security always). Only required categories count. */
  required: boolean;
  /** The category's policy weight in the overall assurance. */
  weight: number;
  /** 0-100 (1 decimal): the best evidence for the category after opinion, age and exceptions. */
  score: number;
  evidence: EvidenceKind | 'none';
  documentId: string | null;
  basis: string;
}

export interface ResidualRiskScore {
  /** 0-100, an integer: Σ contributions[].points. */
  score: number;
  rating: RiskRating;
  inherent: { score: number; tier: Tier; tierReason: string };
  assurance: {
    /** Weighted mean of the required categories' scores, 0-100 (1 decimal). */
    overall: number;
    perCategory: Record<TrustServicesCategory, CategoryAssurance>;
  };
  contributions: ScoreContribution[];
  /** What the current report covers against what we buy (the `scope-mismatch` rule reads it). */
  scopeFit: ScopeFit;
  policyVersion: string;
  asOf: string;
  /** Which inputs were used: the documents read, the current SOC report, the questionnaires. */
  basis: { documentIds: string[]; currentReportId: string | null; supersededReportIds: string[]; questionnaires: { templateId: string; templateVersion: string }[] };
}

const CATEGORIES: readonly TrustServicesCategory[] = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];
/** The rating band of a score under the policy's thresholds. */
export function ratingFromScore(score: number, policy: RiskPolicy = RISK_POLICY): RiskRating {
  const r = policy.ratings;
  if (score >= r.critical) return 'critical';
  if (score >= r.high) return 'high';
  if (score >= r.medium) return 'medium';
  return 'low';
}

/** A signed piece of a category's assurance, in assurance points. */
interface AssurancePart {
  id: string;
  value: number;
  description: string;
  source: ContributionSource;
}

interface Candidate {
  evidence: EvidenceKind;
  documentId: string | null;
  parts: AssurancePart[];
  value: number;
  basis: string;
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);
/** Removes floating-point noise before comparing or rounding (1e-9 is far below any policy weight). */
const clean = (n: number) => Math.round(n * 1e9) / 1e9;

function reportCandidate(report: CurrentReport, category: TrustServicesCategory): Candidate | null {
  if (!report.categories.includes(category)) return null;
  const doc = report.document;
  const prefix = `assurance:${category}:doc:${doc.documentId}`;
  const parts: AssurancePart[] = [
    {
      id: `${prefix}:kind`,
      value: report.strength,
      description: `${report.label} report ${doc.fileName} covers ${CATEGORY_LABEL[category]} (evidence strength ${report.strength})`,
      source: documentSource(doc, report.kind === 'soc3' ? 'documentKind' : 'reportType'),
    },
  ];
  if (report.opinionFactor < 1) {
    parts.push({
      id: `${prefix}:opinion`,
      value: -report.strength * (1 - report.opinionFactor),
      description: `${report.opinion === 'unknown' ? 'no opinion could be read' : `${report.opinion} opinion`}: evidence counts × ${report.opinionFactor}`,
      source: documentSource(doc, 'opinion'),
    });
  }
  if (report.freshnessFactor < 1) {
    const age =
      report.effectiveMonths === null
        ? 'the period end could not be read'
        : `period ended ${report.periodEnd} (${report.monthsSincePeriodEnd} months before the assessment${report.bridge ? `; bridge letter ${report.bridge.document.fileName} covers until ${report.bridge.coveredUntil}` : ''}; effective age ${fmt(report.effectiveMonths)} months)`;
    parts.push({
      id: `${prefix}:age`,
      value: -report.strength * report.opinionFactor * (1 - report.freshnessFactor),
      description: `${age}: evidence counts × ${report.freshnessFactor}`,
      source: documentSource(doc, 'period'),
    });
  }
  for (const e of report.exceptions.filter((x) => x.category === category)) {
    const rate = e.rate === null ? 'rate not stated' : `${e.rate.failures} of ${e.rate.sample}`;
    parts.push({
      id: `${prefix}:exception:${e.number}`,
      value: -e.deduction,
      description: `exception on ${e.criterion ?? 'an unmapped criterion'} (${rate}): −${fmt(e.deduction)} assurance (weight ${e.weight} × rate multiplier ${fmt(e.multiplier)})`,
      source: documentSource(doc, `exceptions[${e.number - 1}]`, { page: e.exception.page, quote: e.exception.description.slice(0, 220) }),
    });
  }
  const total = clean(sum(parts.map((p) => p.value)));
  if (total < 0) {
    parts.push({ id: `${prefix}:floor`, value: -total, description: 'assurance cannot fall below 0', source: { kind: 'policy', rule: 'assurance-floor' } });
  }
  const value = Math.max(0, total);
  return { evidence: report.kind, documentId: doc.documentId, parts, value, basis: `${report.label} ${doc.fileName}: ${fmt(value)}` };
}

function isoCandidate(assessment: EvidenceAssessment, policy: RiskPolicy, category: TrustServicesCategory): Candidate | null {
  const iso = assessment.iso;
  if (iso === null || !iso.valid || !policy.assurance.iso27001.categories.includes(category)) return null;
  const strength = policy.assurance.evidenceStrength.iso27001;
  return {
    evidence: 'iso27001',
    documentId: iso.document.documentId,
    value: strength,
    basis: `ISO/IEC 27001 certificate ${iso.document.fileName} ${iso.reason}: ${strength}`,
    parts: [
      {
        id: `assurance:${category}:doc:${iso.document.documentId}:certificate`,
        value: strength,
        description: `ISO/IEC 27001 certificate ${iso.document.fileName}, ${iso.reason} (evidence strength ${strength})`,
        source: documentSource(iso.document, iso.issuedOn === null ? 'documentKind' : 'reportDate'),
      },
    ],
  };
}

function questionnaireCandidate(questionnaires: QuestionnaireEvidence[], policy: RiskPolicy, category: TrustServicesCategory): Candidate | null {
  const rows: { q: QuestionnaireEvidence; a: ScoredAnswer }[] = [];
  for (const q of questionnaires) {
    for (const a of q.scoredAnswers) if (a.weight > 0 && a.criteria.some((c) => criterionCategory(c) === category)) rows.push({ q, a });
  }
  const totalWeight = sum(rows.map((r) => r.a.weight));
  if (totalWeight <= 0) return null;
  const strength = policy.assurance.evidenceStrength.questionnaire;
  const parts = rows
    .map(
      ({ q, a }): AssurancePart => ({
        id: `assurance:${category}:question:${q.templateId}:${a.questionId}`,
        value: (strength * a.weight * (1 - Math.min(1, Math.max(0, a.risk)))) / totalWeight,
        description: `answer "${a.answer}" (weight ${a.weight} of ${fmt(totalWeight)}, risk ${fmt(a.risk)}) in the vendor's questionnaire (evidence strength ${strength})`,
        source: { kind: 'question', templateId: q.templateId, templateVersion: q.templateVersion, questionId: a.questionId, answer: a.answer },
      }),
    )
    .filter((p) => p.value !== 0);
  const value = sum(parts.map((p) => p.value));
  const categoryScore = Math.round((100 * value) / strength);
  return { evidence: 'questionnaire', documentId: null, parts, value, basis: `questionnaire answers: category score ${categoryScore} × strength ${strength} / 100 = ${fmt(value)}` };
}

/**
 * Integers that add up to round(Σ values) and stay within 1 of each value (largest remainder; ties go to the
 * earlier item). Keeps every contribution an integer without letting rounding break the sum.
 */
export function apportion(values: number[]): number[] {
  const cleaned = values.map(clean);
  const target = Math.round(clean(sum(cleaned)));
  const floors = cleaned.map(Math.floor);
  let remaining = target - sum(floors);
  const order = cleaned.map((v, i) => ({ i, frac: v - floors[i]! })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  const result = [...floors];
  for (const { i } of order) {
    if (remaining <= 0) break;
    result[i]! += 1;
    remaining -= 1;
  }
  return result;
}

/**
 * Scores a vendor's residual risk from its profile, its analyzed documents and its questionnaires, as of a day,
 * under the policy in force (RISK_POLICY unless another is given; its version is stored with the score). The
 * penalties are the points of the evaluated risk issues (issues.ts), the same list the findings are raised from.
 */
export function scoreResidualRisk(input: ResidualRiskInput, policy: RiskPolicy = RISK_POLICY): ResidualRiskScore {
  const { assessment, issues, scopeFit } = riskIssuesOf(input, policy);
  const inherent = assessInherentRisk(input.vendor);
  const contributions: ScoreContribution[] = inherent.contributions.map((c) => ({
    id: `inherent:${c.factor}`,
    kind: 'inherent',
    points: c.points,
    exactPoints: c.points,
    category: null,
    description: c.reason,
    source: { kind: 'profile', field: c.factor, value: c.value },
  }));
  const inherentSum = sum(inherent.contributions.map((c) => c.points));
  if (inherentSum !== inherent.score) {
    contributions.push({ id: 'inherent:cap', kind: 'adjustment', points: inherent.score - inherentSum, exactPoints: inherent.score - inherentSum, category: null, description: `inherent risk is capped at ${inherent.score}`, source: { kind: 'policy', rule: 'inherent-cap' } });
  }

  const required = new Set(assessment.requiredCategories);
  const totalWeight = sum(assessment.requiredCategories.map((c) => policy.assurance.categoryWeights[c]));
  const scale = (inherent.score * policy.assurance.maxReduction) / 100;
  const perCategory = {} as Record<TrustServicesCategory, CategoryAssurance>;
  const reductionParts: { part: AssurancePart; category: TrustServicesCategory; exact: number }[] = [];
  let overall = 0;
  for (const category of CATEGORIES) {
    const candidates = [
      assessment.report === null ? null : reportCandidate(assessment.report, category),
      isoCandidate(assessment, policy, category),
      questionnaireCandidate(input.questionnaires, policy, category),
    ].filter((c): c is Candidate => c !== null);
    const best = candidates.reduce<Candidate | null>((b, c) => (b === null || clean(c.value) > clean(b.value) ? c : b), null);
    const weight = policy.assurance.categoryWeights[category];
    const isRequired = required.has(category);
    const others = candidates.filter((c) => c !== best).map((c) => c.basis);
    perCategory[category] = {
      required: isRequired,
      weight,
      score: best === null ? 0 : Math.round(best.value * 10) / 10,
      evidence: best?.evidence ?? 'none',
      documentId: best?.documentId ?? null,
      basis:
        (best === null ? 'no evidence covers this category' : `best evidence: ${best.basis}`) +
        (others.length > 0 ? `; also seen, weaker: ${others.join('; ')}` : '') +
        (isRequired ? (category === 'security' ? '; required for every vendor' : `; required for ${assessment.requirementReasons[category] ?? 'this vendor'}`) : '; not required for this vendor, so it does not count'),
    };
    if (!isRequired || best === null) continue;
    const share = weight / totalWeight;
    overall += share * best.value;
    for (const part of best.parts) reductionParts.push({ part, category, exact: scale * share * part.value });
  }
  const reductions = apportion(reductionParts.map((r) => r.exact));
  reductionParts.forEach(({ part, category, exact }, i) => {
    contributions.push({
      id: part.id,
      kind: 'assurance',
      points: -reductions[i]!,
      exactPoints: -Math.round(exact * 100) / 100 || 0,
      category,
      description: `${CATEGORY_LABEL[category]} assurance: ${part.description}`,
      source: part.source,
    });
  });

  for (const issue of issues) {
    if (issue.penalty === null) continue;
    const { id, points, description } = issue.penalty;
    contributions.push({ id, kind: 'penalty', points, exactPoints: points, category: issue.category, description, source: issue.source });
  }
  const raw = sum(contributions.map((c) => c.points));
  const score = Math.min(100, Math.max(0, raw));
  if (score !== raw) {
    contributions.push({ id: 'clamp', kind: 'adjustment', points: score - raw, exactPoints: score - raw, category: null, description: `the score is kept within 0-100 (it summed to ${raw})`, source: { kind: 'policy', rule: 'score-range' } });
  }
  const report = assessment.report;
  return {
    score,
    rating: ratingFromScore(score, policy),
    inherent: { score: inherent.score, tier: inherent.tier, tierReason: inherent.tierReason },
    assurance: { overall: Math.round(overall * 10) / 10, perCategory },
    contributions,
    scopeFit,
    policyVersion: policy.version,
    asOf: input.asOf,
    basis: {
      documentIds: input.documents.map((d) => d.documentId),
      currentReportId: report?.document.documentId ?? null,
      supersededReportIds: report?.superseded.map((d) => d.documentId) ?? [],
      questionnaires: input.questionnaires.map((q) => ({ templateId: q.templateId, templateVersion: q.templateVersion })),
    },
  };
}
