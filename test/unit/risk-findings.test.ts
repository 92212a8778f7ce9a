import { describe, expect, it } from 'vitest';
import {
  applyFindingTransition,
  generateFindings,
  isRiskAcceptanceExpired,
  openFinding,
  reconcileFindings,
  type Finding,
  type FindingDraft,
} from '../../shared/domain/risk/findings.ts';
import { AS_OF, answerFinding, bridgeLetter, controlException, doc, isoCertificate, questionnaire, riskInput, soc2Type2, TIER2_VENDOR } from './risk-fixtures.ts';

const byId = (drafts: FindingDraft[], id: string) => drafts.find((d) => d.id === id);
const withReport = (over: Parameters<typeof soc2Type2>[0]) => riskInput({ documents: [doc('r', soc2Type2(over))] });

describe('generateFindings', () => {
  it('raises nothing for a clean, recent, complete SOC 2 Type II', () => {
    expect(generateFindings(riskInput())).toEqual([]);
  });

  it('raises a stale-report finding with the months since the period end', () => {
    const drafts = generateFindings(withReport({ period: { start: '2024-09-01', end: '2025-09-15' } }));
    expect(byId(drafts, 'doc:r:stale')).toMatchObject({ title: 'SOC 2 period ended 14 months ago and no bridge letter', severity: 'high', owner: 'vendor' });
  });

  it('asks for a bridge letter when the gap passes three months', () => {
    const drafts = generateFindings(withReport({ period: { start: '2025-06-01', end: '2026-05-31' } }));
    expect(byId(drafts, 'doc:r:bridge-gap')).toMatchObject({ severity: 'medium', title: 'SOC 2 period ended 5 months ago and no bridge letter' });
  });

  it('raises no gap finding when a bridge letter covers the gap', () => {
    const input = riskInput({ documents: [doc('r', soc2Type2({ period: { start: '2025-06-01', end: '2026-05-31' } })), doc('b', bridgeLetter('2026-06-01', '2026-11-01'))] });
    expect(generateFindings(input)).toEqual([]);
  });

  it('names the criterion of a qualified opinion', () => {
    const drafts = generateFindings(withReport({ opinion: 'qualified', evidence: { opinion: { page: 6, quote: 'except for the matter described, the controls over CC8.1 did not operate' } } }));
    expect(byId(drafts, 'doc:r:opinion')).toMatchObject({ title: 'Qualified opinion on CC8.1 in the SOC 2 Type II report', severity: 'high', category: 'security', source: { field: 'opinion', page: 6 } });
  });

  it('rates an adverse opinion critical', () => {
    expect(byId(generateFindings(withReport({ opinion: 'adverse' })), 'doc:r:opinion')?.severity).toBe('critical');
  });

  it('raises one finding per exception with its criterion, rate and page', () => {
    const drafts = generateFindings(withReport({ exceptions: [controlException(['CC6.2'], 'Access removed late', 47), controlException(['CC2.1'], 'Policy acknowledgement missing for 1 of 60 new hires.', 48)] }));
    expect(byId(drafts, 'doc:r:exception:1')).toMatchObject({ title: 'Exception on CC6.2: Access removed late', severity: 'high', source: { page: 47, field: 'exceptions[0]' } });
    expect(byId(drafts, 'doc:r:exception:2')?.severity).toBe('low');
  });

  it('appends the stated rate to a short exception title', () => {
    const drafts = generateFindings(withReport({ exceptions: [{ ...controlException(['CC6.2'], 'For 2 of 25 samples access was removed late'), controlId: 'C-12' }] }));
    expect(byId(drafts, 'doc:r:exception:1')?.title).toBe('Exception on CC6.2 (control C-12): For 2 of 25 samples access was removed late');
  });

  it('raises a scope finding when Availability is missing for a critical vendor', () => {
    const drafts = generateFindings(withReport({ trustServicesCategories: ['security', 'confidentiality', 'privacy'] }));
    expect(byId(drafts, 'doc:r:scope:availability')).toMatchObject({ title: 'Availability not in scope for a critical vendor', severity: 'high', category: 'availability' });
  });

  it('raises a carve-out finding for a hosting provider, owned by us', () => {
    const drafts = generateFindings(withReport({ subserviceOrganizations: [{ name: 'Amazon Web Services, Inc.', method: 'carve-out', services: null }] }));
    expect(byId(drafts, 'doc:r:carve-out:amazon-web-services-inc')).toMatchObject({ title: 'Hosting provider Amazon Web Services, Inc. carved out', owner: 'us' });
  });

  it('raises an expired-certificate finding when no valid ISO certificate remains', () => {
    const drafts = generateFindings(riskInput({ vendor: TIER2_VENDOR, documents: [doc('iso', isoCertificate('2022-01-10'))] }));
    expect(byId(drafts, 'doc:iso:iso-invalid')).toMatchObject({ title: 'ISO/IEC 27001 certificate not valid: expired on 2025-01-10', severity: 'medium' });
  });

  it('raises the required-evidence finding for a tier-1 vendor with answers only', () => {
    const drafts = generateFindings(riskInput({ documents: [], questionnaires: [questionnaire([['mfa', ['CC6.1'], 0]])] }));
    expect(byId(drafts, 'vendor:required-evidence')).toMatchObject({ title: 'No SOC 2 Type II report for a tier-1 vendor', severity: 'high' });
  });

  it('turns answer findings into findings traced to the question, skipping info', () => {
    const q = questionnaire([['mfa', ['CC6.1'], 1]], [answerFinding('mfa', 'high'), answerFinding('note', 'info')]);
    const drafts = generateFindings(riskInput({ questionnaires: [q] }));
    expect(drafts.map((d) => d.id)).toEqual(['q:baseline-security:mfa']);
    expect(drafts[0]).toMatchObject({ recommendedRemediation: 'Enforce MFA for every workforce account.', source: { kind: 'question', questionId: 'mfa', answer: 'No' } });
  });

  it('dates each finding from asOf by the policy days for its severity', () => {
    const drafts = generateFindings(withReport({ opinion: 'adverse', period: { start: '2025-06-01', end: '2026-05-31' } }));
    expect(drafts.map((d) => [d.severity, d.dueDate])).toEqual([
      ['critical', '2026-12-23'],
      ['medium', '2027-02-21'],
    ]);
  });

  it("keeps the vendor's earlier committed date as the due date", () => {
    const q = questionnaire([['mfa', ['CC6.1'], 1]], [{ ...answerFinding('mfa', 'low'), remediationDate: '2027-01-15' }]);
    expect(generateFindings(riskInput({ questionnaires: [q] }))[0]?.dueDate).toBe('2027-01-15');
  });

  it('orders findings most severe first', () => {
    const drafts = generateFindings(withReport({ opinion: 'qualified', trustServicesCategories: ['security', 'availability', 'confidentiality'], exceptions: [controlException(['CC2.1'], 'x')] }));
    expect(drafts.map((d) => d.severity)).toEqual(['high', 'medium', 'low']);
  });

  it('gives the same ids for the same evidence', () => {
    const input = withReport({ opinion: 'qualified', exceptions: [controlException(['CC6.2'], 'late')] });
    expect(generateFindings(input).map((d) => d.id)).toEqual(generateFindings(structuredClone(input)).map((d) => d.id));
  });
});

const AT = `${AS_OF}T10:00:00.000Z`;
const draft: FindingDraft = {
  id: 'doc:r:exception:1',
  title: 'Exception on CC6.2',
  detail: 'Access removed late',
  severity: 'high',
  category: 'security',
  recommendedRemediation: 'Ask for evidence.',
  owner: 'vendor',
  dueDate: '2027-01-22',
  source: { kind: 'document', documentId: 'r', fileName: 'r.pdf', field: 'exceptions[0]', page: 40, quote: 'Access removed late' },
};
const fresh = (): Finding => openFinding(draft, AT, 'sec@example.com');
const JUSTIFICATION = 'Compensating quarterly access review run by our IAM team.';

describe('finding lifecycle', () => {
  it('opens a finding with its first history event', () => {
    expect(fresh()).toMatchObject({ status: 'open', riskAcceptance: null, history: [{ action: 'open', from: null, to: 'open' }] });
  });

  it('remediates an open finding with a note', () => {
    const next = applyFindingTransition(fresh(), { kind: 'remediate', note: 'Vendor sent evidence of the fix.' }, AT, 'sec@example.com');
    expect(next.status).toBe('remediated');
    expect(next.history.at(-1)).toMatchObject({ action: 'remediate', from: 'open', to: 'remediated', note: 'Vendor sent evidence of the fix.' });
  });

  it('accepts a risk with a justification and an expiry', () => {
    const next = applyFindingTransition(fresh(), { kind: 'accept-risk', justification: JUSTIFICATION, expiresOn: '2027-05-31' }, AT, 'ciso@example.com');
    expect(next).toMatchObject({ status: 'risk-accepted', riskAcceptance: { justification: JUSTIFICATION, expiresOn: '2027-05-31', acceptedBy: 'ciso@example.com', acceptedAt: AT } });
  });

  it.each([
    ['a short justification', { justification: 'ok', expiresOn: '2027-05-31' }, 'justification'],
    ['an expiry today', { justification: JUSTIFICATION, expiresOn: AS_OF }, 'expiresOn'],
    ['an expiry more than a year away', { justification: JUSTIFICATION, expiresOn: '2027-11-24' }, 'expiresOn'],
    ['an expiry that is not a date', { justification: JUSTIFICATION, expiresOn: 'next year' }, 'expiresOn'],
  ])('rejects a risk acceptance with %s', (_name, action, path) => {
    expect(() => applyFindingTransition(fresh(), { kind: 'accept-risk', ...action }, AT, 'ciso@example.com')).toThrow(
      expect.objectContaining({ name: 'ValidationError', code: 'risk-acceptance-invalid', details: [expect.objectContaining({ path })] }),
    );
  });

  it('accepts an expiry exactly one year away', () => {
    expect(applyFindingTransition(fresh(), { kind: 'accept-risk', justification: JUSTIFICATION, expiresOn: '2027-11-23' }, AT, 'ciso@example.com').status).toBe('risk-accepted');
  });

  it('requires a note to close', () => {
    expect(() => applyFindingTransition(fresh(), { kind: 'close', note: '  ' }, AT, 'sec@example.com')).toThrow(expect.objectContaining({ code: 'finding-note-required' }));
  });

  it('refuses to remediate a closed finding', () => {
    const closed = applyFindingTransition(fresh(), { kind: 'close', note: 'Duplicate of another finding.' }, AT, 'sec@example.com');
    expect(() => applyFindingTransition(closed, { kind: 'remediate', note: 'fixed' }, AT, 'sec@example.com')).toThrow(expect.objectContaining({ name: 'ConflictError', code: 'finding-transition-not-allowed' }));
  });

  it('refuses to reopen an open finding', () => {
    expect(() => applyFindingTransition(fresh(), { kind: 'reopen', reason: 'again' }, AT, 'sec@example.com')).toThrow(expect.objectContaining({ code: 'finding-transition-not-allowed' }));
  });

  it('reopens a closed finding with a reason and clears any acceptance', () => {
    const accepted = applyFindingTransition(fresh(), { kind: 'accept-risk', justification: JUSTIFICATION, expiresOn: '2027-05-31' }, AT, 'ciso@example.com');
    const reopened = applyFindingTransition(accepted, { kind: 'reopen', reason: 'The compensating review stopped.' }, AT, 'sec@example.com');
    expect(reopened).toMatchObject({ status: 'open', riskAcceptance: null });
    expect(reopened.history.map((e) => e.to)).toEqual(['open', 'risk-accepted', 'open']);
  });

  it('reports a risk acceptance as expired after its expiry day', () => {
    const accepted = applyFindingTransition(fresh(), { kind: 'accept-risk', justification: JUSTIFICATION, expiresOn: '2027-05-31' }, AT, 'ciso@example.com');
    expect([isRiskAcceptanceExpired(accepted, '2027-05-31'), isRiskAcceptanceExpired(accepted, '2027-06-01')]).toEqual([false, true]);
  });
});

describe('reconcileFindings', () => {
  const later = '2027-01-05T08:00:00.000Z';

  it('opens the drafts that have no stored finding', () => {
    const result = reconcileFindings([], [draft], AT, 'system');
    expect([result.added, result.findings.map((f) => f.status)]).toEqual([['doc:r:exception:1'], ['open']]);
  });

  it('keeps the status, history and due date of a stored finding raised again', () => {
    const accepted = applyFindingTransition(fresh(), { kind: 'accept-risk', justification: JUSTIFICATION, expiresOn: '2027-05-31' }, AT, 'ciso@example.com');
    const result = reconcileFindings([accepted], [{ ...draft, severity: 'medium', dueDate: '2027-04-05' }], later, 'system');
    expect(result.findings).toEqual([{ ...accepted, severity: 'medium' }]);
  });

  it('reports open findings the evidence no longer raises without closing them', () => {
    const result = reconcileFindings([fresh()], [], later, 'system');
    expect([result.noLongerRaised, result.findings.map((f) => f.status)]).toEqual([['doc:r:exception:1'], ['open']]);
  });
});
