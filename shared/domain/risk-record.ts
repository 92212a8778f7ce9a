/** What the risk model produced for one assessment, as stored: the score, the findings and our CUEC tasks. */
import type { RiskRating } from './risk/risk-policy.ts';
import type { CuecTask } from './risk/cuec-tasks.ts';
import type { Finding } from './risk/findings.ts';
import type { OverriddenRiskScore } from './risk/rating-override.ts';
import type { ScopeFitOverride } from './risk/scope-fit.ts';

export interface RiskRecord {
  assessmentId: string;
  vendorId: string;
  score: OverriddenRiskScore | null;
  findings: Finding[];
  tasks: CuecTask[];
  /** Security's override of the scope-fit verdict (absent in records written before scope fit). */
  scopeFitOverride?: ScopeFitOverride | null;
  version: number;
  updatedAt: string;
}

/** One line of the risk register per vendor: its latest scored assessment, kept beside the vendor. */
export interface VendorRiskSummary {
  vendorId: string;
  assessmentId: string;
  assessmentStatus: string;
  score: number | null;
  computedRating: RiskRating | null;
  rating: RiskRating | null;
  overridden: boolean;
  openFindings: number;
  highestOpenSeverity: string | null;
  nextReviewDate: string | null;
  policyVersion: string | null;
  updatedAt: string;
}

/**
 * Auto-approval policy: low residual risk, no open finding rated high or critical, and every document read. A file
 * that could not be read is evidence nobody has seen: the score leaves it out, so a person decides.
 */
export function allowsAutoApproval(record: Pick<RiskRecord, 'score' | 'findings'>, unreadableDocuments: readonly string[] = []): boolean {
  if (!record.score || unreadableDocuments.length > 0) return false;
  const rating = record.score.override?.rating ?? record.score.rating;
  return rating === 'low' && !record.findings.some((f) => f.status === 'open' && (f.severity === 'high' || f.severity === 'critical'));
}

const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'];

export function summarize(record: RiskRecord, assessment: { id: string; status: string; nextReviewDate: string | null }, at: string): VendorRiskSummary {
  const open = record.findings.filter((f) => f.status === 'open');
  return {
    vendorId: record.vendorId,
    assessmentId: assessment.id,
    assessmentStatus: assessment.status,
    score: record.score?.score ?? null,
    computedRating: record.score?.rating ?? null,
    rating: record.score ? (record.score.override?.rating ?? record.score.rating) : null,
    overridden: Boolean(record.score?.override),
    openFindings: open.length,
    highestOpenSeverity: SEVERITY_ORDER.find((s) => open.some((f) => f.severity === s)) ?? null,
    nextReviewDate: assessment.nextReviewDate,
    policyVersion: record.score?.policyVersion ?? null,
    updatedAt: at,
  };
}
