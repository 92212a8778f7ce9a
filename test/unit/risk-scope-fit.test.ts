import { describe, expect, it } from 'vitest';
import { assessEvidence, type ResidualRiskInput } from '../../shared/domain/risk/evidence-assessment.ts';
import { generateFindings } from '../../shared/domain/risk/findings.ts';
import { scoreResidualRisk } from '../../shared/domain/risk/residual-risk.ts';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';
import { assessScopeFit, overrideScopeFit, type ScopeFit } from '../../shared/domain/risk/scope-fit.ts';
import { scopeTerms } from '../../shared/domain/risk/scope-terms.ts';
import type { ReportAnalysis } from '../../shared/domain/soc2/types.ts';
import { doc, riskInput, soc2Type2, TIER2_VENDOR } from './risk-fixtures.ts';

/** The shape the analyzer gives for a messaging vendor's report (system name on the scope page, carve-outs listed). */
const messagingReport = (over: Partial<ReportAnalysis> = {}) =>
  soc2Type2({
    systemName: 'MSG91 Software Application',
    trustServicesCategories: ['security', 'availability', 'confidentiality'],
    subserviceOrganizations: [
      { name: 'Amazon Web Services', method: 'carve-out', services: 'on-demand cloud computing' },
      { name: 'Mailgun', method: 'carve-out', services: 'e-mail delivery services' },
      { name: 'Twilio', method: 'inclusive', services: 'SMS delivery' },
    ],
    evidence: {
      ...soc2Type2().evidence,
      systemName: { page: 6, quote: 'We have examined the accompanying "Description of Walkover Web Solutions Private Limited, MSG91 Software Application.' },
      subserviceOrganizations: { page: 12, quote: 'Mailgun provides e-mail delivery services and is carved out' },
      trustServicesCategories: { page: 6, quote: 'Trust Services Criteria for Security, Confidentiality and Availability' },
    },
    ...over,
  });

const inputFor = (services: string[], analysis: ReportAnalysis = messagingReport(), over: Partial<ResidualRiskInput> = {}) =>
  riskInput({ vendor: { ...TIER2_VENDOR, services }, documents: [doc('r', analysis)], ...over });
const fitOf = (input: ResidualRiskInput): ScopeFit => assessScopeFit(input, assessEvidence(input, RISK_POLICY));

describe('scope terms', () => {
  it('normalizes case, accents and hyphens, drops words that name no capability and folds plurals', () => {
    expect(scopeTerms('E-mail Delivery Services for Café Payrolls, Inc.').map((t) => t.word)).toEqual(['email', 'delivery', 'cafe', 'payroll']);
  });

  it('maps phrases and synonyms of the one table to a shared concept', () => {
    expect(scopeTerms('human resources').map((t) => t.concepts)).toEqual([['hr']]);
    expect(scopeTerms('salaries')[0]!.concepts).toEqual(['payroll']);
    expect(scopeTerms('Postgres').map((t) => [t.word, t.concepts])).toEqual([['postgres', ['database']]]);
  });
});

describe('assessScopeFit', () => {
  it('covers a service the report’s system names, citing the system name’s page', () => {
    const fit = fitOf(inputFor(['MSG91 messaging']));
    expect(fit.services[0]).toMatchObject({ status: 'covered', citation: { field: 'systemName', page: 6 }, matches: [{ serviceTerm: 'msg91', reportTerm: 'msg91', concept: 'msg91' }] });
    expect(fit.verdict).toBe('fit');
  });

  it('matches through the synonyms table ("payslips" is payroll)', () => {
    const fit = fitOf(inputFor(['payslips'], soc2Type2({ systemName: 'Acme Payroll Platform' })));
    expect(fit.services[0]).toMatchObject({ status: 'covered', matches: [{ serviceTerm: 'payslip', reportTerm: 'payroll', concept: 'payroll' }] });
  });

  it('tells a service only a carved-out subservice organization performs, citing its page', () => {
    const fit = fitOf(inputFor(['MSG91 messaging', 'email delivery']));
    expect(fit.services[1]).toMatchObject({ status: 'carved-out', comparedWith: 'Mailgun (e-mail delivery services)', citation: { field: 'subserviceOrganizations', page: 12 } });
    expect(fit.verdict).toBe('partial');
  });

  it('counts a service an included subservice organization performs as covered', () => {
    expect(fitOf(inputFor(['SMS'])).services[0]?.status).toBe('covered');
  });

  it('finds a clear mismatch: we buy payroll, the report covers a marketing website', () => {
    const fit = fitOf(inputFor(['payroll processing'], soc2Type2({ systemName: 'Marketing Website' })));
    expect(fit).toMatchObject({ verdict: 'mismatch', services: [{ status: 'not-covered', citation: { field: 'systemName' } }] });
    expect(fit.services[0]!.explanation).toBe('nothing in the report\'s system "Marketing Website" or its subservice organizations names "payroll", "processing"');
  });

  it('does not judge a service written without a capability word, nor a vendor without services', () => {
    expect(fitOf(inputFor(['software'])).services[0]?.status).toBe('unclear');
    expect(fitOf(inputFor(['software'])).verdict).toBe('not-assessed');
    expect(fitOf(inputFor([])).verdict).toBe('not-assessed');
  });

  it('calls nothing a mismatch when the system’s name says nothing of what it does (a product name)', () => {
    const fit = fitOf(inputFor(['managed Postgres database'], soc2Type2({ systemName: 'Tembo cloud system' })));
    expect([fit.services[0]?.status, fit.verdict, fit.reason]).toEqual(['not-covered', 'not-assessed', 'the report\'s system "Tembo cloud system" does not say what it does: check its description for "managed Postgres database"']);
  });

  it('calls nothing a mismatch when the report’s system name could not be read', () => {
    const fit = fitOf(inputFor(['payroll'], soc2Type2({ systemName: null })));
    expect([fit.services[0]?.status, fit.verdict]).toEqual(['not-covered', 'not-assessed']);
  });

  it('lists the categories the policy requires for the data we share, each covered or not with its page', () => {
    const fit = fitOf(inputFor(['MSG91 messaging'], messagingReport({ trustServicesCategories: ['security'] })));
    expect(fit.categories).toEqual([
      { category: 'security', requiredFor: 'every vendor', covered: true, citation: { field: 'trustServicesCategories', page: 6, quote: expect.any(String) } },
      { category: 'confidentiality', requiredFor: 'confidential or restricted data', covered: false, citation: { field: 'trustServicesCategories', page: 6, quote: expect.any(String) } },
    ]);
    expect(fit.dataShared).toEqual({ dataClassification: 'confidential', dataTypes: ['customer-content'] });
  });
});

describe('a scope mismatch through the single rule list', () => {
  const mismatch = inputFor(['payroll processing'], soc2Type2({ systemName: 'Marketing Website', evidence: { ...soc2Type2().evidence, systemName: { page: 3, quote: 'description of its Marketing Website system' } } }));

  it('adds the policy’s points, cited to the system name’s page', () => {
    const contribution = scoreResidualRisk(mismatch).contributions.find((c) => c.id === 'penalty:doc:r:scope-mismatch');
    expect(contribution).toMatchObject({ kind: 'penalty', points: RISK_POLICY.rules['scope-mismatch'].points, source: { kind: 'document', field: 'systemName', page: 3 } });
  });

  it('raises a finding of the policy’s severity that names what we buy and what the report covers', () => {
    const finding = generateFindings(mismatch).find((f) => f.id === 'doc:r:scope-mismatch');
    expect(finding).toMatchObject({ severity: RISK_POLICY.rules['scope-mismatch'].severity, title: 'The SOC 2 Type II report covers "Marketing Website", not the services we buy' });
  });

  it('raises neither for a partial fit', () => {
    const partial = inputFor(['MSG91 messaging', 'payroll']);
    expect(scoreResidualRisk(partial).contributions.some((c) => c.id.endsWith('scope-mismatch'))).toBe(false);
    expect(generateFindings(partial).some((f) => f.id.endsWith('scope-mismatch'))).toBe(false);
  });
});

describe('overriding the scope fit', () => {
  const mismatch = inputFor(['payroll processing'], soc2Type2({ systemName: 'Marketing Website' }));
  const at = '2026-11-23T10:00:00.000Z';

  it('lets security set the verdict with a reason, which removes the penalty and the finding', () => {
    const override = overrideScopeFit(fitOf(mismatch), { verdict: 'fit', reason: 'The payroll module is part of the website platform (p. 12).', actor: 'sec@example.com', at }, RISK_POLICY);
    const overridden = { ...mismatch, scopeFitOverride: override };
    expect(fitOf(overridden)).toMatchObject({ computedVerdict: 'mismatch', verdict: 'fit', override: { actor: 'sec@example.com', computedVerdict: 'mismatch' } });
    expect(scoreResidualRisk(overridden).contributions.some((c) => c.id.endsWith('scope-mismatch'))).toBe(false);
    expect(generateFindings(overridden).some((f) => f.id.endsWith('scope-mismatch'))).toBe(false);
  });

  it('lets the override lapse when a newer report becomes current', () => {
    const override = overrideScopeFit(fitOf(mismatch), { verdict: 'fit', reason: 'The payroll module is part of the website platform.', actor: 'sec', at }, RISK_POLICY);
    const newer = { ...mismatch, documents: [doc('r2', soc2Type2({ systemName: 'Marketing Website', period: { start: '2025-11-01', end: '2026-10-31' } }))], scopeFitOverride: override };
    expect(fitOf(newer)).toMatchObject({ verdict: 'mismatch', override: null, lapsedOverride: { documentId: 'r' } });
  });

  it('refuses an override without a reason of the policy’s length, or of an unknown verdict', () => {
    expect(() => overrideScopeFit(fitOf(mismatch), { verdict: 'fit', reason: 'ok', actor: 'sec', at }, RISK_POLICY)).toThrow(expect.objectContaining({ code: 'scope-fit-override-invalid' }));
    expect(() => overrideScopeFit(fitOf(mismatch), { verdict: 'maybe', reason: 'a long enough reason for the record', actor: 'sec', at }, RISK_POLICY)).toThrow(
      expect.objectContaining({ code: 'scope-fit-override-invalid', details: [{ path: 'verdict', message: 'must be fit or mismatch' }] }),
    );
  });

  it('refuses an override when there is no report to compare with', () => {
    const noReport = inputFor(['payroll'], soc2Type2(), { documents: [] });
    expect(() => overrideScopeFit(fitOf(noReport), { verdict: 'fit', reason: 'a long enough reason for the record', actor: 'sec', at }, RISK_POLICY)).toThrow(expect.objectContaining({ code: 'scope-fit-not-assessed' }));
  });
});
