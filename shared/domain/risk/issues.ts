/**
 * Risk issues: every risk rule of the policy evaluated once against the evidence. Each issue names its rule (a key of
 * the policy's `rules`), the penalty points it adds to the score (if its rule scores), the finding it raises (if its
 * rule raises one, with the severity the policy gives it), what was observed, and the source it cites. The score
 * (`residual-risk.ts`) and the findings (`findings.ts`) both read this list and nothing else, so a rule cannot count
 * in one and be missing from the other. Pure and deterministic.
 */
import type { TrustServicesCategory } from '../soc2/types.ts';
import type { Tier } from '../profile-values.ts';
import { assessInherentRisk } from '../vendor.ts';
import { assessEvidence, citation, criterionCategory, type CurrentReport, type EvidenceAssessment, type ResidualRiskInput, type RiskDocument } from './evidence-assessment.ts';
import type { FindingSeverity, RiskPolicy, RiskRuleId } from './risk-policy.ts';
import { assessScopeFit, type ScopeFit } from './scope-fit.ts';

/** Where a contribution or a finding comes from. */
export type ContributionSource =
  | { kind: 'question'; templateId: string; templateVersion: string; questionId: string; answer: string }
  | { kind: 'document'; documentId: string; fileName: string; field: string; page: number | null; quote: string | null }
  | { kind: 'profile'; field: string; value: string }
  | { kind: 'policy'; rule: string };

/** How reports and findings name each trust services category. */
export const CATEGORY_LABEL: Record<TrustServicesCategory, string> = {
  security: 'Security',
  availability: 'Availability',
  'processing-integrity': 'Processing Integrity',
  confidentiality: 'Confidentiality',
  privacy: 'Privacy',
};

export type FindingOwner = 'vendor' | 'us';

/** The finding an issue raises, before a due date is set. */
export interface IssueFinding {
  severity: FindingSeverity;
  title: string;
  detail: string;
  recommendedRemediation: string;
  owner: FindingOwner;
  /** YYYY-MM-DD the vendor committed to fix it by, when it did (an earlier due date). */
  committedFixBy: string | null;
}

/** The penalty an issue adds to the score. */
export interface IssuePenalty {
  /** The contribution id, e.g. "penalty:doc:d1:stale". */
  id: string;
  /** Integer points, ≥ 0 (0 when a rule's cap is used up by earlier issues). */
  points: number;
  /** What was observed, as the score explains the points. */
  description: string;
}

/** One evaluated rule: a problem the evidence shows. */
export interface RiskIssue {
  /** Deterministic from the source, e.g. "doc:d1:stale", "q:baseline-security:mfa": the finding's id. */
  id: string;
  rule: RiskRuleId;
  category: TrustServicesCategory | null;
  source: ContributionSource;
  /** Null when the rule adds no points (its policy points are 0). */
  penalty: IssuePenalty | null;
  /** Null when the rule raises no finding of its own (a bridge gap is told in the stale-report finding). */
  finding: IssueFinding | null;
}

/** Everything the rules read: the evidence as assessed, the vendor's tier, and the scope fit. */
export interface IssueContext {
  input: ResidualRiskInput;
  assessment: EvidenceAssessment;
  tier: Tier;
  scopeFit: ScopeFit;
}

/** A kebab-case id part from free text ("Amazon Web Services, Inc." → "amazon-web-services-inc"). */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'unnamed'
  );
}

/** A source citing the page and quote the analyzer recorded for a field of a document (or the ones given). */
export function documentSource(document: RiskDocument, field: string, override?: { page: number | null; quote: string | null }): ContributionSource {
  const { page, quote } = override ?? citation(document, field);
  return { kind: 'document', documentId: document.documentId, fileName: document.fileName, field, page, quote };
}

export const fmt = (n: number) => String(Math.round(n * 100) / 100);
export const short = (text: string, max: number) => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`;
};

const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;

/** A penalty when the rule scores (points > 0 in the policy), else null. */
const penaltyOf = (id: string, points: number, description: string): IssuePenalty | null => (points > 0 ? { id, points, description } : null);

type RuleEvaluator = (context: IssueContext, policy: RiskPolicy) => RiskIssue[];

function reportRule(evaluate: (report: CurrentReport, context: IssueContext, policy: RiskPolicy) => RiskIssue[]): RuleEvaluator {
  return (context, policy) => (context.assessment.report === null ? [] : evaluate(context.assessment.report, context, policy));
}

/**
 * One evaluator per rule of the policy, in the order the issues are listed. Typed by the policy's rule ids: a rule
 * added to the policy without an evaluator here (or the other way round) does not compile, and the rules test
 * compares the keys at run time too.
 */
export const RULE_EVALUATORS: { [R in RiskRuleId]: RuleEvaluator } = {
  'modified-opinion': reportRule((report, _context, policy) => {
    if (report.opinion !== 'qualified' && report.opinion !== 'adverse' && report.opinion !== 'disclaimer') return [];
    const rule = policy.rules['modified-opinion'];
    const doc = report.document;
    const on = report.opinionCriteria.length > 0 ? ` on ${report.opinionCriteria.join(', ')}` : '';
    const label = { qualified: 'Qualified opinion', adverse: 'Adverse opinion', disclaimer: 'Disclaimer of opinion' }[report.opinion];
    const id = `doc:${doc.documentId}:opinion`;
    return [
      {
        id,
        rule: 'modified-opinion',
        category: report.opinionCriteria.map(criterionCategory).find((c) => c !== null) ?? null,
        source: documentSource(doc, 'opinion'),
        penalty: penaltyOf(`penalty:${id}`, rule.points[report.opinion], `${report.opinion} opinion${on} in ${doc.fileName}`),
        finding: {
          severity: rule.severity[report.opinion],
          title: `${label}${on} in the ${report.label} report`,
          detail: `The service auditor issued a ${report.opinion === 'disclaimer' ? 'disclaimer of opinion' : `${report.opinion} opinion`}${on} in ${doc.fileName}. ${citation(doc, 'opinion').quote ?? ''}`.trim(),
          recommendedRemediation: 'Ask the vendor for the basis of the modification, its root cause, the remediation plan and evidence that the control now operates; re-test in the next report.',
          owner: 'vendor',
          committedFixBy: null,
        },
      },
    ];
  }),

  'unread-opinion': reportRule((report, _context, policy) => {
    if (report.opinion !== 'unknown' || report.kind === 'soc3') return [];
    const rule = policy.rules['unread-opinion'];
    const doc = report.document;
    const id = `doc:${doc.documentId}:opinion-unread`;
    return [
      {
        id,
        rule: 'unread-opinion',
        category: null,
        source: documentSource(doc, 'opinion'),
        penalty: penaltyOf(`penalty:${id}`, rule.points, `no opinion could be read from ${doc.fileName}`),
        finding: {
          severity: rule.severity,
          title: `No opinion could be read from the ${report.label} report`,
          detail: `The analyzer found no opinion paragraph in ${doc.fileName}; the report counts as weaker evidence until a reviewer reads it.`,
          recommendedRemediation: "Read the service auditor's report and record the opinion.",
          owner: 'us',
          committedFixBy: null,
        },
      },
    ];
  }),

  'stale-report': reportRule((report, _context, policy) => {
    if (!report.stale) return [];
    const rule = policy.rules['stale-report'];
    const doc = report.document;
    const id = `doc:${doc.documentId}:stale`;
    return [
      {
        id,
        rule: 'stale-report',
        category: null,
        source: documentSource(doc, 'period'),
        penalty: penaltyOf(
          `penalty:${id}`,
          rule.points,
          `report period ended ${report.periodEnd}, ${report.monthsSincePeriodEnd} months before the assessment (effective age ${fmt(report.effectiveMonths ?? 0)} months > ${policy.assurance.staleness.staleAfterMonths})`,
        ),
        finding: { severity: rule.severity, ...periodFindingText(report, policy, true) },
      },
    ];
  }),

  'bridge-gap': reportRule((report, _context, policy) => {
    if (!report.bridgeGap) return [];
    const rule = policy.rules['bridge-gap'];
    const doc = report.document;
    const id = `doc:${doc.documentId}:bridge-gap`;
    return [
      {
        id,
        rule: 'bridge-gap',
        category: null,
        source: documentSource(doc, 'period'),
        penalty: penaltyOf(
          `penalty:${id}`,
          rule.points,
          `${fmt(report.uncoveredMonths ?? 0)} months since the end of the period${report.bridge ? ' and of the bridge letter' : ''} with no bridge letter covering them (expected after ${policy.assurance.staleness.bridgeExpectedAfterMonths})`,
        ),
        // A stale report's finding already asks for the new report or a bridge letter: one finding, not two.
        finding: report.stale ? null : { severity: rule.severity, ...periodFindingText(report, policy, false) },
      },
    ];
  }),

  'category-out-of-scope': reportRule((report, context) =>
    context.assessment.coverageGaps.map((gap): RiskIssue => {
      const doc = report.document;
      const id = `doc:${doc.documentId}:scope:${gap.category}`;
      return {
        id,
        rule: 'category-out-of-scope',
        category: gap.category,
        source: documentSource(doc, 'trustServicesCategories'),
        penalty: penaltyOf(`penalty:${id}`, gap.points, `${CATEGORY_LABEL[gap.category]} not in the scope of ${doc.fileName}, required for ${gap.reason}`),
        finding: {
          severity: gap.severity,
          title: `${CATEGORY_LABEL[gap.category]} not in scope for ${gap.reason === 'a critical service' ? 'a critical vendor' : `a vendor handling ${gap.reason}`}`,
          detail: `${doc.fileName} covers ${report.categories.map((c) => CATEGORY_LABEL[c]).join(', ')}; ${CATEGORY_LABEL[gap.category]} is required for ${gap.reason}.`,
          recommendedRemediation: `Ask the vendor to add ${CATEGORY_LABEL[gap.category]} to the scope of its next SOC 2 examination; meanwhile obtain other evidence (questionnaire answers, policies, test results) for it.`,
          owner: 'vendor',
          committedFixBy: null,
        },
      };
    }),
  ),

  // The exception's weight lowers its category's assurance (residual-risk.ts); this rule only raises the finding.
  'control-exception': reportRule((report, _context, policy) =>
    report.exceptions.map((e): RiskIssue => {
      const doc = report.document;
      const t = policy.rules['control-exception'].severityFromDeduction;
      const severity: FindingSeverity = e.deduction >= t.high ? 'high' : e.deduction >= t.medium ? 'medium' : 'low';
      const rate = e.rate ? ` in ${e.rate.failures} of ${e.rate.sample} samples` : '';
      const summary = short(e.exception.description, 90);
      return {
        id: `doc:${doc.documentId}:exception:${e.number}`,
        rule: 'control-exception',
        category: e.category,
        source: documentSource(doc, `exceptions[${e.number - 1}]`, { page: e.exception.page, quote: short(e.exception.description, 220) }),
        penalty: null,
        finding: {
          severity,
          title: `Exception on ${e.criterion ?? 'an unmapped criterion'}${e.exception.controlId ? ` (control ${e.exception.controlId})` : ''}: ${summary}${rate && !/\d\s*(?:of|\/)\s*\d/.test(summary) ? rate : ''}`,
          detail: `${e.exception.description}${e.exception.managementResponse ? `\nManagement's response (unaudited): ${e.exception.managementResponse}` : '\nNo management response was found.'}`,
          recommendedRemediation: 'Ask the vendor for the root cause, the remediation and evidence that the control operated since; check the next report for the same exception.',
          owner: 'vendor',
          committedFixBy: null,
        },
      };
    }),
  ),

  'hosting-carve-out': reportRule((report, context, policy) => {
    const rule = policy.rules['hosting-carve-out'];
    const doc = report.document;
    let left = rule.maxPoints;
    return context.assessment.carvedOutHosts.map((host): RiskIssue => {
      const points = Math.min(rule.pointsEach, left);
      left -= points;
      const id = `doc:${doc.documentId}:carve-out:${slug(host.name)}`;
      const services = host.services ? ` (${host.services})` : '';
      return {
        id,
        rule: 'hosting-carve-out',
        category: null,
        source: documentSource(doc, 'subserviceOrganizations'),
        penalty:
          rule.pointsEach > 0
            ? {
                id: `penalty:${id}`,
                points,
                description: `${host.name}${services} is carved out of ${doc.fileName}: its controls over hosting or processing are not covered${points < rule.pointsEach ? ` (carve-out points capped at ${rule.maxPoints})` : ''}`,
              }
            : null,
        finding: {
          severity: rule.severity,
          title: `Hosting provider ${host.name} carved out`,
          detail: `${doc.fileName} uses the carve-out method for ${host.name}${services}: that organization's controls over hosting or processing our data are not covered by the report.`,
          recommendedRemediation: `Obtain and review ${host.name}'s own SOC 2 report and check the complementary subservice organization controls the vendor relies on.`,
          owner: 'us',
          committedFixBy: null,
        },
      };
    });
  }),

  'invalid-iso-certificate': (context, policy) => {
    const iso = context.assessment.iso;
    if (iso === null || iso.valid || iso.expiresOn === null) return [];
    const rule = policy.rules['invalid-iso-certificate'];
    const id = `doc:${iso.document.documentId}:iso-invalid`;
    return [
      {
        id,
        rule: 'invalid-iso-certificate',
        category: 'security',
        source: documentSource(iso.document, iso.issuedOn === null ? 'documentKind' : 'reportDate'),
        penalty: penaltyOf(`penalty:${id}`, rule.points, `ISO/IEC 27001 certificate ${iso.document.fileName} not valid: ${iso.reason}`),
        finding: {
          severity: rule.severity,
          title: `ISO/IEC 27001 certificate not valid: ${iso.reason}`,
          detail: `${iso.document.fileName}: ${iso.reason}.`,
          recommendedRemediation: 'Request the current certificate (ISO/IEC 27001:2022) and its Statement of Applicability.',
          owner: 'vendor',
          committedFixBy: null,
        },
      },
    ];
  },

  'unread-iso-certificate': (context, policy) => {
    const iso = context.assessment.iso;
    if (iso === null || iso.valid || iso.expiresOn !== null) return [];
    const rule = policy.rules['unread-iso-certificate'];
    const id = `doc:${iso.document.documentId}:iso-expiry-unknown`;
    return [
      {
        id,
        rule: 'unread-iso-certificate',
        category: 'security',
        source: documentSource(iso.document, iso.issuedOn === null ? 'documentKind' : 'reportDate'),
        penalty: penaltyOf(`penalty:${id}`, rule.points, `the validity of ISO/IEC 27001 certificate ${iso.document.fileName} could not be read`),
        finding: {
          severity: rule.severity,
          title: 'ISO/IEC 27001 certificate validity could not be read',
          detail: `${iso.document.fileName}: ${iso.reason}.`,
          recommendedRemediation: 'Read the certificate and record its issue and expiry dates.',
          owner: 'us',
          committedFixBy: null,
        },
      },
    ];
  },

  'scope-mismatch': reportRule((report, context, policy) => {
    const fit = context.scopeFit;
    if (fit.verdict !== 'mismatch') return [];
    const rule = policy.rules['scope-mismatch'];
    const doc = report.document;
    const id = `doc:${doc.documentId}:scope-mismatch`;
    const services = fit.services.filter((s) => s.status !== 'covered' && s.status !== 'unclear').map((s) => `"${s.service}"`).join(', ');
    const system = fit.systemName === null ? 'a system it does not name' : `"${fit.systemName}"`;
    return [
      {
        id,
        rule: 'scope-mismatch',
        category: null,
        source: documentSource(doc, fit.systemName === null ? 'subserviceOrganizations' : 'systemName'),
        penalty: penaltyOf(`penalty:${id}`, rule.points, `${doc.fileName} covers ${system}, not what we buy from the vendor (${services})${fit.override ? ` (security: ${fit.override.reason})` : ''}`),
        finding: {
          severity: rule.severity,
          title: `The ${report.label} report covers ${system}, not the services we buy`,
          detail: [
            `We buy ${services} from the vendor; ${doc.fileName} covers ${system}.`,
            ...fit.services.map((s) => `- ${s.service}: ${s.status} (${s.explanation})`),
            fit.override ? `Security set the verdict to mismatch: ${fit.override.reason}` : null,
          ]
            .filter((x) => x !== null)
            .join('\n'),
          recommendedRemediation: 'Ask the vendor for the report that covers the services we buy (or its description of the system showing they are in scope); until then, obtain other evidence for them.',
          owner: 'vendor',
          committedFixBy: null,
        },
      },
    ];
  }),

  'answer-finding': (context, policy) => {
    const rule = policy.rules['answer-finding'];
    const rows = context.input.questionnaires
      .flatMap((q, qi) => q.findings.map((f, fi) => ({ q, f, order: qi * 100_000 + fi })))
      .filter(({ f }) => f.severity !== 'info' || rule.points.info > 0)
      .sort((a, b) => SEVERITY_RANK[b.f.severity] - SEVERITY_RANK[a.f.severity] || a.order - b.order);
    let left = rule.maxPoints;
    return rows.map(({ q, f }): RiskIssue => {
      const base = rule.points[f.severity];
      const points = Math.min(base, left);
      left -= points;
      return {
        id: `q:${q.templateId}:${f.questionId}`,
        rule: 'answer-finding',
        category: f.criteria.map(criterionCategory).find((c) => c !== null) ?? null,
        source: { kind: 'question', templateId: q.templateId, templateVersion: q.templateVersion, questionId: f.questionId, answer: f.answer },
        penalty:
          base > 0
            ? {
                id: `penalty:question:${q.templateId}:${f.questionId}`,
                points,
                description: `${f.severity} finding from the answer "${f.answer}" to "${f.question}"${points < base ? ` (answer points capped at ${rule.maxPoints})` : ''}`,
              }
            : null,
        // Info answers are notes, not findings (the questionnaire engine's severity scale starts at info).
        finding:
          f.severity === 'info'
            ? null
            : {
                severity: f.severity,
                title: `${short(f.question, 100)} — answered "${f.answer}"`,
                detail: [f.whyItMatters, f.compensatingControl ? `Compensating control (vendor): ${f.compensatingControl}` : null, f.remediationDate ? `The vendor committed to fix it by ${f.remediationDate}.` : null]
                  .filter((x) => x !== null)
                  .join('\n'),
                recommendedRemediation: f.guidance ?? 'Implement the control the question asks about, or document a compensating control, and send evidence.',
                owner: 'vendor',
                committedFixBy: f.remediationDate,
              },
      };
    });
  },

  'missing-required-evidence': (context, policy) => {
    const { assessment, tier } = context;
    const requirement = policy.rules['missing-required-evidence'].requirements.find((r) => r.tier === tier);
    if (!requirement || requirement.accepts.some((k) => assessment.evidenceKinds.includes(k))) return [];
    const report = assessment.report;
    const have = report === null ? (assessment.evidenceKinds.includes('questionnaire') ? 'only questionnaire answers' : 'no evidence') : `a ${report.label} report`;
    return [
      {
        id: 'vendor:required-evidence',
        rule: 'missing-required-evidence',
        category: null,
        source: { kind: 'profile', field: 'tier', value: String(tier) },
        penalty: penaltyOf('penalty:required-evidence', requirement.points, `tier ${tier} requires ${requirement.label}; none was provided`),
        finding: {
          severity: requirement.severity,
          title: `No ${requirement.label.replace(/^an? /, '')} for a tier-${tier} vendor`,
          detail: `Tier ${tier} requires ${requirement.label}; the vendor provided ${have}.`,
          recommendedRemediation: `Request ${requirement.label} from the vendor.`,
          owner: 'vendor',
          committedFixBy: null,
        },
      },
    ];
  },
};

function periodFindingText(report: CurrentReport, policy: RiskPolicy, stale: boolean): Omit<IssueFinding, 'severity'> {
  const doc = report.document;
  const bridge = report.bridge ? `; the bridge letter ${report.bridge.document.fileName} covers until ${report.bridge.coveredUntil}` : ' and no bridge letter';
  return {
    title: `${report.kind === 'soc3' ? 'SOC 3' : 'SOC 2'} period ended ${report.monthsSincePeriodEnd} months ago${report.bridge ? ' and the bridge letter does not cover the gap' : ' and no bridge letter'}`,
    detail: `The period of ${doc.fileName} ended on ${report.periodEnd}${bridge}. ${stale ? `Evidence older than ${policy.assurance.staleness.staleAfterMonths} months (effective) is stale.` : `A gap of more than ${policy.assurance.staleness.bridgeExpectedAfterMonths} months calls for a bridge letter.`}`,
    recommendedRemediation: stale ? 'Request the current SOC 2 report; until it is issued, a bridge letter covering the gap to today.' : 'Request a bridge letter covering the period from the end of the report to today.',
    owner: 'vendor',
    committedFixBy: null,
  };
}

/** Evaluates every rule of the policy once, in the policy's rule order. */
export function evaluateRiskIssues(context: IssueContext, policy: RiskPolicy): RiskIssue[] {
  return (Object.keys(policy.rules) as RiskRuleId[]).flatMap((rule) => RULE_EVALUATORS[rule](context, policy));
}

/** The evidence assessed under the policy and every rule evaluated on it: what the score and the findings both read. */
export function riskIssuesOf(input: ResidualRiskInput, policy: RiskPolicy): { assessment: EvidenceAssessment; tier: Tier; scopeFit: ScopeFit; issues: RiskIssue[] } {
  const assessment = assessEvidence(input, policy);
  const tier = assessInherentRisk(input.vendor).tier;
  const scopeFit = assessScopeFit(input, assessment);
  return { assessment, tier, scopeFit, issues: evaluateRiskIssues({ input, assessment, tier, scopeFit }, policy) };
}
