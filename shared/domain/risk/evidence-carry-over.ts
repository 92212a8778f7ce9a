/**
 * Which evidence of the last approved assessment a reassessment keeps (issue 18, item 2): the current SOC report
 * while it is not stale under the policy (with the bridge letter that extends it), and a valid ISO 27001 certificate.
 * Stale or expired evidence is asked for again, with the reason in words. Pure; the policy decides "stale".
 */
import { assessEvidence, type RiskDocument, type RiskProfile } from './evidence-assessment.ts';
import { RISK_POLICY, type RiskPolicy } from './risk-policy.ts';

export interface EvidenceCarryPlan {
  /** Ids of the previous assessment's documents to carry over, analysis and all. */
  carry: string[];
  /** Evidence the vendor is asked to upload again, and why. */
  askAgain: { fileName: string; reason: string }[];
}

export function planEvidenceCarryOver(input: { vendor: RiskProfile; documents: RiskDocument[]; asOf: string }, policy: RiskPolicy = RISK_POLICY): EvidenceCarryPlan {
  const plan: EvidenceCarryPlan = { carry: [], askAgain: [] };
  if (!input.documents.length) return plan;
  const evidence = assessEvidence({ vendor: input.vendor, documents: input.documents, questionnaires: [], asOf: input.asOf }, policy);
  const report = evidence.report;
  if (report) {
    if (!report.stale) {
      plan.carry.push(report.document.documentId);
      if (report.bridge) plan.carry.push(report.bridge.document.documentId);
    } else {
      const bridged = report.bridge ? ` (a bridge letter covers it to ${report.bridge.coveredUntil})` : '';
      plan.askAgain.push({
        fileName: report.document.fileName,
        reason: `The period of your ${report.label} ended on ${report.periodEnd ?? 'an unknown date'}, ${report.monthsSincePeriodEnd ?? '?'} months ago${bridged}: upload the new report, or a bridge letter that covers the time since.`,
      });
    }
  }
  const iso = evidence.iso;
  if (iso) {
    if (iso.valid) plan.carry.push(iso.document.documentId);
    else plan.askAgain.push({ fileName: iso.document.fileName, reason: `Your ISO 27001 certificate is not valid now (${iso.reason}): upload the current certificate.` });
  }
  return plan;
}
