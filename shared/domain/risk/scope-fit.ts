/**
 * Scope fit: does the current report cover what we buy? Compares what procurement recorded (the vendor's services,
 * the data we share, the categories the policy requires for it) with what the report covers (its system name, its
 * trust services categories, its subservice organizations carved out or included), deterministically (normalized
 * terms and the synonyms table of scope-terms.ts) and explained: each match or gap cites the report's page. Security
 * may override the verdict with a reason. A clear mismatch is the `scope-mismatch` rule of the policy (issues.ts).
 * Pure.
 */
import { ConflictError, ValidationError, type ProblemDetail } from '../errors.ts';
import type { DataClassification, DataType } from '../profile-values.ts';
import type { TrustServicesCategory } from '../soc2/types.ts';
import { citation, type EvidenceAssessment, type ResidualRiskInput, type RiskDocument } from './evidence-assessment.ts';
import type { RiskPolicy } from './risk-policy.ts';
import { knownCapabilities, scopeTerms, sharedConcept, type ScopeTerm } from './scope-terms.ts';

/**
 * covered: the report's system (or an included subservice organization) names it; carved-out: only a carved-out
 * subservice organization does, so the report does not cover its controls; not-covered: nothing in the report names
 * it; unclear: the service, as written, has no word that names a capability ("software").
 */
export type ServiceFitStatus = 'covered' | 'carved-out' | 'not-covered' | 'unclear';
/** fit: every recorded service is covered; partial: some are; mismatch: none is; not-assessed: nothing to compare. */
export type ScopeVerdict = 'fit' | 'partial' | 'mismatch' | 'not-assessed';

/** A report field with the page and quote the analyzer recorded for it. */
export interface ScopeCitation {
  field: string;
  page: number | null;
  quote: string | null;
}

export interface TermMatch {
  /** The term of the recorded service. */
  serviceTerm: string;
  /** The term of the report it matched. */
  reportTerm: string;
  /** The concept both name (the synonyms table's key, or the word itself). */
  concept: string;
}

export interface ServiceFit {
  service: string;
  status: ServiceFitStatus;
  matches: TermMatch[];
  /** What in the report it was compared with or matched: a name and where it is. */
  comparedWith: string | null;
  citation: ScopeCitation | null;
  explanation: string;
}

export interface CategoryFit {
  category: TrustServicesCategory;
  /** Why the policy requires it for this vendor. */
  requiredFor: string;
  covered: boolean;
  citation: ScopeCitation | null;
}

export interface ScopeFitOverride {
  /** The report the override was given for: a newer current report makes it lapse. */
  documentId: string;
  verdict: 'fit' | 'mismatch';
  reason: string;
  actor: string;
  at: string;
  /** The verdict the comparison gave when security overrode it. */
  computedVerdict: ScopeVerdict;
}

export interface ScopeFit {
  documentId: string | null;
  fileName: string | null;
  systemName: string | null;
  systemCitation: ScopeCitation | null;
  /** What we share with the vendor, as procurement recorded it. */
  dataShared: { dataClassification: DataClassification; dataTypes: DataType[] };
  services: ServiceFit[];
  categories: CategoryFit[];
  computedVerdict: ScopeVerdict;
  /** The verdict decisions follow: the override's when one applies to this report, else the computed one. */
  verdict: ScopeVerdict;
  reason: string;
  override: ScopeFitOverride | null;
  /** An override given for an earlier report, no longer applied. */
  lapsedOverride: ScopeFitOverride | null;
}

const CATEGORY_NAME: Record<TrustServicesCategory, string> = {
  security: 'Security',
  availability: 'Availability',
  'processing-integrity': 'Processing Integrity',
  confidentiality: 'Confidentiality',
  privacy: 'Privacy',
};

function matchTerms(service: ScopeTerm[], report: ScopeTerm[]): TermMatch[] {
  const matches: TermMatch[] = [];
  for (const s of service) {
    for (const r of report) {
      const concept = sharedConcept(s, r);
      if (concept !== null) {
        matches.push({ serviceTerm: s.word, reportTerm: r.word, concept });
        break;
      }
    }
  }
  return matches;
}

/** Covered when at least half the service's terms (and at least one) name what the report names. */
const enough = (matches: TermMatch[], terms: ScopeTerm[]) => matches.length > 0 && matches.length * 2 >= terms.length;

const quoteOf = (document: RiskDocument, field: string): ScopeCitation => ({ field, ...citation(document, field) });
const list = (words: string[]) => words.map((w) => `"${w}"`).join(', ');

function fitService(service: string, document: RiskDocument, systemName: string | null): ServiceFit {
  const terms = scopeTerms(service);
  if (terms.length === 0) {
    return { service, status: 'unclear', matches: [], comparedWith: null, citation: null, explanation: `"${service}" has no word that names what the service does: describe it (e.g. "payroll processing")` };
  }
  if (systemName !== null) {
    const matches = matchTerms(terms, scopeTerms(systemName));
    if (enough(matches, terms)) {
      return {
        service,
        status: 'covered',
        matches,
        comparedWith: systemName,
        citation: quoteOf(document, 'systemName'),
        explanation: `the report's system "${systemName}" names ${list(matches.map((m) => m.reportTerm))} for ${list(matches.map((m) => m.serviceTerm))}`,
      };
    }
  }
  for (const org of document.analysis.subserviceOrganizations) {
    const matches = matchTerms(terms, scopeTerms(`${org.name} ${org.services ?? ''}`));
    if (!enough(matches, terms)) continue;
    const carved = org.method !== 'inclusive';
    return {
      service,
      status: carved ? 'carved-out' : 'covered',
      matches,
      comparedWith: `${org.name}${org.services ? ` (${org.services})` : ''}`,
      citation: quoteOf(document, 'subserviceOrganizations'),
      explanation: carved
        ? `only the subservice organization ${org.name}${org.services ? ` (${org.services})` : ''} names it, and the report carves it out: its controls are not covered`
        : `the subservice organization ${org.name} names it, and the report includes it (inclusive method)`,
    };
  }
  return {
    service,
    status: 'not-covered',
    matches: [],
    comparedWith: systemName,
    citation: systemName === null ? null : quoteOf(document, 'systemName'),
    explanation:
      systemName === null
        ? 'the report names no system to compare with, and no subservice organization names it'
        : `nothing in the report's system "${systemName}" or its subservice organizations names ${list(terms.map((t) => t.word))}`,
  };
}

function verdictOf(services: ServiceFit[], systemName: string | null): { verdict: ScopeVerdict; reason: string } {
  const judged = services.filter((s) => s.status !== 'unclear');
  const covered = judged.filter((s) => s.status === 'covered');
  if (judged.length === 0) return { verdict: 'not-assessed', reason: services.length === 0 ? 'procurement recorded no services for this vendor' : 'no recorded service names what it does' };
  if (covered.length === judged.length) return { verdict: 'fit', reason: `the report covers every recorded service (${judged.length})` };
  const gaps = judged.filter((s) => s.status !== 'covered').map((s) => `"${s.service}"`);
  if (covered.length > 0) return { verdict: 'partial', reason: `the report covers ${covered.length} of ${judged.length} recorded services; not ${gaps.join(', ')}` };
  // Without the system's name, or when the name says nothing of what the system does ("Tembo cloud system"), "nothing
  // matched" is not a clear mismatch: a person reads the report's description of the system.
  if (systemName === null) return { verdict: 'not-assessed', reason: `the report's system name could not be read: check by eye whether it covers ${gaps.join(', ')}` };
  const capabilities = knownCapabilities(scopeTerms(systemName));
  if (capabilities.length === 0) return { verdict: 'not-assessed', reason: `the report's system "${systemName}" does not say what it does: check its description for ${gaps.join(', ')}` };
  return { verdict: 'mismatch', reason: `the report covers none of the recorded services (${gaps.join(', ')})` };
}

/** Compares what procurement recorded with what the current report covers; applies security's override when it is for this report. */
export function assessScopeFit(input: ResidualRiskInput, assessment: EvidenceAssessment): ScopeFit {
  const vendor = input.vendor;
  const override = input.scopeFitOverride ?? null;
  const dataShared = { dataClassification: vendor.dataClassification, dataTypes: [...vendor.dataTypes] };
  const report = assessment.report;
  if (report === null) {
    return {
      documentId: null,
      fileName: null,
      systemName: null,
      systemCitation: null,
      dataShared,
      services: [],
      categories: [],
      computedVerdict: 'not-assessed',
      verdict: 'not-assessed',
      reason: 'no SOC 2 or SOC 3 report to compare with',
      override: null,
      lapsedOverride: override,
    };
  }
  const document = report.document;
  const systemName = document.analysis.systemName?.trim() || null;
  const services = (vendor.services ?? []).map((s) => fitService(s, document, systemName));
  const categories = assessment.requiredCategories.map(
    (category): CategoryFit => ({
      category,
      requiredFor: category === 'security' ? 'every vendor' : (assessment.requirementReasons[category] ?? 'this vendor'),
      covered: report.categories.includes(category),
      citation: quoteOf(document, 'trustServicesCategories'),
    }),
  );
  const computed = verdictOf(services, systemName);
  const applies = override !== null && override.documentId === document.documentId;
  const missing = categories.filter((c) => !c.covered).map((c) => CATEGORY_NAME[c.category]);
  const categoryNote = missing.length > 0 ? `; required categories out of scope: ${missing.join(', ')}` : '';
  return {
    documentId: document.documentId,
    fileName: document.fileName,
    systemName,
    systemCitation: systemName === null ? null : quoteOf(document, 'systemName'),
    dataShared,
    services,
    categories,
    computedVerdict: computed.verdict,
    verdict: applies ? override.verdict : computed.verdict,
    reason: applies ? `security set ${override.verdict} (computed: ${computed.verdict}, ${computed.reason}): ${override.reason}` : `${computed.reason}${categoryNote}`,
    override: applies ? override : null,
    lapsedOverride: applies ? null : override,
  };
}

/**
 * Security's override of a scope-fit verdict, with a mandatory reason (at least the policy's override length). Only a
 * verdict computed against a report can be overridden. Throws ValidationError (scope-fit-override-invalid) or
 * ConflictError (scope-fit-not-assessed).
 */
export function overrideScopeFit(fit: ScopeFit, request: { verdict: string; reason: string; actor: string; at: string }, policy: RiskPolicy): ScopeFitOverride {
  const problems: ProblemDetail[] = [];
  const reason = request.reason.trim();
  const min = policy.override.justificationMinLength;
  if (request.verdict !== 'fit' && request.verdict !== 'mismatch') problems.push({ path: 'verdict', message: 'must be fit or mismatch' });
  if (reason.length < min) problems.push({ path: 'reason', message: `a reason of at least ${min} characters is required to override the scope fit` });
  if (problems.length > 0) throw new ValidationError('The scope-fit override is not valid', problems, 'scope-fit-override-invalid');
  if (fit.documentId === null) throw new ConflictError('There is no report to compare the vendor’s services with: nothing to override', 'scope-fit-not-assessed');
  return { documentId: fit.documentId, verdict: request.verdict as ScopeFitOverride['verdict'], reason, actor: request.actor, at: request.at, computedVerdict: fit.computedVerdict };
}
