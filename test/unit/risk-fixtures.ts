/** Hand-built analyzer outputs, vendor profiles and questionnaire evidence for the risk-model tests. */
import type { RiskDocument, ResidualRiskInput, RiskProfile } from '../../shared/domain/risk/evidence-assessment.ts';
import type { AnswerFinding, QuestionnaireEvidence } from '../../shared/domain/risk/questionnaire-evidence.ts';
import type { ControlException, ReportAnalysis, TrustServicesCategory } from '../../shared/domain/soc2/types.ts';

export const AS_OF = '2026-11-23';

/** Restricted personal and payment data, privileged access, critical, over 1M records: inherent 100 (capped), tier 1. */
export const TIER1_VENDOR: RiskProfile = {
  dataClassification: 'restricted',
  dataTypes: ['personal', 'payment'],
  systemAccess: 'privileged',
  criticality: 'critical',
  recordVolume: 'over-1m',
};

/** Confidential customer content, network access, high criticality, 1k-100k records: inherent 62, tier 2. */
export const TIER2_VENDOR: RiskProfile = {
  dataClassification: 'confidential',
  dataTypes: ['customer-content'],
  systemAccess: 'network',
  criticality: 'high',
  recordVolume: '1k-100k',
};

/** Internal data only, low criticality: inherent 10, tier 4. */
export const TIER4_VENDOR: RiskProfile = {
  dataClassification: 'internal',
  dataTypes: [],
  systemAccess: 'none',
  criticality: 'low',
  recordVolume: 'none',
};

const ALL_CATEGORIES: TrustServicesCategory[] = ['security', 'availability', 'processing-integrity', 'confidentiality', 'privacy'];

/** A clean SOC 2 Type II report for the year ended 2026-09-30 covering every category. */
export function soc2Type2(over: Partial<ReportAnalysis> = {}): ReportAnalysis {
  return {
    documentKind: 'soc2',
    reportType: 'type2',
    serviceOrganization: 'Acme Cloud, Inc.',
    serviceAuditor: 'Example & Co LLP',
    reportDate: '2026-10-20',
    period: { start: '2025-10-01', end: '2026-09-30' },
    opinion: 'unqualified',
    trustServicesCategories: ALL_CATEGORIES,
    subserviceOrganizations: [],
    complementaryUserEntityControls: [],
    controlsTested: 120,
    exceptions: [],
    pages: 80,
    textLayer: true,
    evidence: {
      reportType: { page: 3, quote: 'Report on the suitability of the design and operating effectiveness of controls' },
      opinion: { page: 5, quote: 'In our opinion, in all material respects, the controls operated effectively' },
      period: { page: 4, quote: 'throughout the period October 1, 2025 to September 30, 2026' },
      trustServicesCategories: { page: 4, quote: 'relevant to Security, Availability, Processing Integrity, Confidentiality and Privacy' },
      subserviceOrganizations: { page: 14, quote: 'Acme uses Amazon Web Services for hosting' },
      complementaryUserEntityControls: { page: 18, quote: 'User entities are responsible for' },
    },
    warnings: [],
    criteriaVersion: '2017',
    ...over,
  };
}

export function controlException(criteria: string[], description: string, page = 40): ControlException {
  return { controlId: null, criteria, description, managementResponse: null, page };
}

export function bridgeLetter(start: string, end: string): ReportAnalysis {
  return {
    ...soc2Type2(),
    documentKind: 'bridge-letter',
    reportType: null,
    opinion: null,
    period: { start, end },
    trustServicesCategories: [],
    exceptions: null,
    controlsTested: null,
    pages: 1,
    evidence: { period: { page: 1, quote: `covers the period ${start} through ${end}` } },
  };
}

export function isoCertificate(issuedOn: string, extraWarnings: string[] = []): ReportAnalysis {
  return {
    ...soc2Type2(),
    documentKind: 'iso27001',
    reportType: null,
    opinion: null,
    period: null,
    reportDate: issuedOn,
    trustServicesCategories: [],
    exceptions: null,
    controlsTested: null,
    pages: 1,
    evidence: { reportDate: { page: 1, quote: `Date of issue: ${issuedOn}` } },
    warnings: ['An ISO/IEC 27001 certificate is not a SOC report: no opinion, period or tests of controls.', ...extraWarnings],
    criteriaVersion: null,
  };
}

export function doc(documentId: string, analysis: ReportAnalysis): RiskDocument {
  return { documentId, fileName: `${documentId}.pdf`, analysis };
}

/** Questionnaire evidence from rows of [questionId, criteria, risk] (weight 1, answer "Yes"/"No"). */
export function questionnaire(rows: [string, string[], number][], findings: AnswerFinding[] = [], templateId = 'baseline-security'): QuestionnaireEvidence {
  return {
    templateId,
    templateVersion: '1.0.0',
    scoredAnswers: rows.map(([questionId, criteria, risk]) => ({ questionId, answer: risk > 0 ? 'No' : 'Yes', criteria, weight: 1, risk })),
    findings,
  };
}

export function answerFinding(questionId: string, severity: AnswerFinding['severity'], criteria = ['CC6.1']): AnswerFinding {
  return {
    questionId,
    question: `Question ${questionId}?`,
    answer: 'No',
    severity,
    whyItMatters: 'Without it, an attacker with a password gets in.',
    guidance: 'Enforce MFA for every workforce account.',
    criteria,
    remediationDate: null,
    compensatingControl: null,
  };
}

export function riskInput(over: Partial<ResidualRiskInput> = {}): ResidualRiskInput {
  return { vendor: TIER1_VENDOR, documents: [doc('soc2-2026', soc2Type2())], questionnaires: [], asOf: AS_OF, ...over };
}
