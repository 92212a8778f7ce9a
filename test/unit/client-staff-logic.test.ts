/** The staff pages' rules: safe redirects after sign-in, the review order, stale reports by the policy, what needs attention. */
import { describe, expect, it } from 'vitest';
import type { Assessment, StaffDocument } from '../../shared/http/pages/client/api-types.ts';
import { problemOf } from '../../shared/http/pages/client/common/api.ts';
import { fieldErrorLines, label, lastPathSegment, problemText, queryString } from '../../shared/http/pages/client/common/format.ts';
import { claimsOf } from '../../shared/http/pages/client/common/session.ts';
import {
  attentionActions,
  attentionReasons,
  nextReviewState,
  profileChanges,
  ratingClass,
  ratingCounts,
  ratingText,
  registerExport,
  reviewOrder,
  sameSitePath,
  SOC2_STALE_AFTER_MONTHS,
  sourceParts,
  staleFrom,
  vendorStatusText,
} from '../../shared/http/pages/client/staff/staff-logic.ts';
import type { Vendor } from '../../shared/http/pages/client/api-types.ts';
import { dashboardFrom, emptyCounts, monthsFromTo, storedCountsOf } from '../../shared/domain/risk-register.ts';
import { RISK_POLICY } from '../../shared/domain/risk/risk-policy.ts';

const ORIGIN = 'https://trustgate.example';
const assessment = (changes: Partial<Assessment>): Assessment => ({ id: 'a1', status: 'awaiting-review', dueDate: '2027-01-31', attentionReason: null, ...changes }) as Assessment;
const doc = (changes: Partial<StaffDocument>): StaffDocument => ({ id: 'd1', fileName: 'report.pdf', analysisStatus: 'analyzed', analysisError: null, analysis: null, effectiveAnalysis: null, ...changes }) as StaffDocument;

describe('the staff page logic', () => {
  it.each([
    ['/review?x=1', '/review?x=1'],
    ['//evil.example/x', null],
    ['/\t/evil.example', null],
    ['/\\evil.example', null],
    ['https://evil.example/', null],
    [null, null],
  ])('goes after sign-in only to a path of this site: %s', (next, expected) => {
    expect(sameSitePath(next, ORIGIN)).toBe(expected);
  });

  it('orders the review queue by residual risk, unscored last, then by due date', () => {
    const rows = [
      { a: assessment({ id: 'unscored', dueDate: '2027-01-01' }), r: null },
      { a: assessment({ id: 'low', dueDate: '2027-01-02' }), r: { score: 20 } },
      { a: assessment({ id: 'high-late', dueDate: '2027-03-01' }), r: { score: 70 } },
      { a: assessment({ id: 'high-early', dueDate: '2027-02-01' }), r: { score: 70 } },
    ] as Parameters<typeof reviewOrder>[0];
    expect(reviewOrder(rows).map((x) => x.a.id)).toEqual(['high-early', 'high-late', 'low', 'unscored']);
  });

  it('counts vendors per rating with the unrated apart', () => {
    expect(ratingCounts([{ rating: 'high' }, { rating: null }, { rating: 'high' }] as unknown as Parameters<typeof ratingCounts>[0])).toEqual({ critical: 0, high: 2, medium: 0, low: 0, unrated: 1 });
  });

  it('dates a SOC 2 report stale by the versioned policy and the domain calendar (month ends clamp)', () => {
    expect(SOC2_STALE_AFTER_MONTHS).toBe(RISK_POLICY.assurance.staleness.staleAfterMonths);
    const soc2 = doc({ analysis: { documentKind: 'soc2', period: { start: '2023-03-01', end: '2024-02-29' } } as StaffDocument['analysis'] });
    expect(staleFrom(soc2)).toBe('2025-02-28');
    expect(staleFrom(doc({ analysis: { documentKind: 'iso27001', period: null } as StaffDocument['analysis'] }))).toBeNull();
  });

  it('says why an assessment needs attention and offers the ways out by role', () => {
    const failed = doc({ analysisStatus: 'failed', fileName: 'locked.pdf', analysisError: { code: 'document-encrypted', message: 'needs a password.' } });
    const a = assessment({ status: 'awaiting-review' });
    expect(attentionReasons(a, [failed])).toEqual(['locked.pdf could not be read: needs a password.']);
    expect(attentionActions(a, [failed], ['security'])).toEqual({ retry: true, sendBack: true, cancel: false });
    expect(attentionActions(a, [failed], ['procurement'])).toEqual({ retry: true, sendBack: false, cancel: true });
    const stopped = assessment({ status: 'needs-attention', attentionReason: 'the mail could not be sent' });
    expect(attentionReasons(stopped, [])).toEqual(['The workflow stopped: the mail could not be sent.']);
    expect(attentionActions(assessment({ status: 'approved' }), [], ['admin'])).toEqual({ retry: false, sendBack: false, cancel: false });
  });

  it('names the source of a score contribution', () => {
    expect(sourceParts({ kind: 'document', documentId: 'd', fileName: 'r.pdf', field: 'opinion', page: 4, quote: null })).toEqual(['r.pdf', 'opinion', 'page 4']);
    expect(sourceParts({ kind: 'question', templateId: 't', templateVersion: '1', questionId: 'mfa', answer: 'no' })).toEqual(['question mfa', 'answer "no"']);
  });
});

describe('the portfolio pages logic', () => {
  it('draws an unrated vendor in a neutral class and words, never in the critical colour', () => {
    expect(ratingClass(null)).toBe('rating-unrated');
    expect(ratingClass('unrated')).toBe('rating-unrated');
    expect(ratingClass('critical')).toBe('rating-critical');
    expect(ratingClass('<script>')).toBe('rating-unrated');
    expect(ratingText(null)).toBe('Unrated');
    expect(ratingText('unrated')).toBe('Unrated');
    expect(ratingText('high')).toBe('High');
  });

  it.each([
    ['2026-11-30', true],
    ['2026-12-01', true],
    ['2026-12-02', false],
    [null, false],
  ])('marks a next review dated %s as overdue on 2026-12-01: %s', (date, overdue) => {
    expect(nextReviewState(date, '2026-12-01')).toEqual({ text: date ?? 'Not scheduled', overdue });
  });

  it('flags exactly the reviews the dashboard counts as overdue (one rule)', () => {
    const dates = ['2026-11-30', '2026-12-01', '2026-12-02', '2027-03-01'];
    const stored = storedCountsOf({ ...emptyCounts(), byNextReview: Object.fromEntries(dates.map((d) => [d, 1])) });
    const reviewDays = Object.fromEntries(monthsFromTo('2026-12-01', '2026-12-31').flatMap((m) => Object.entries(stored.days[m] ?? {})));
    const flagged = dates.filter((d) => nextReviewState(d, '2026-12-01').overdue).length;
    expect(dashboardFrom({ summary: stored.summary, reviewDays }, '2026-12-01', '2026-12-31', 30).overdueReviews).toBe(flagged);
    expect(flagged).toBe(2);
  });

  it('exports the whole register when the list is not filtered, and says so on the button', () => {
    expect(registerExport({}, '2026-12-01')).toEqual({ query: {}, fileName: 'risk-register-2026-12-01.csv', label: 'Download the risk register (CSV, all vendors)', note: null });
  });

  it('exports the tier the list is filtered by, and names the filters the register cannot apply', () => {
    const exported = registerExport({ tier: '2', q: 'Ac', criticality: 'high', status: '' }, '2026-12-01');
    expect(exported.query).toEqual({ tier: 2 });
    expect(exported.fileName).toBe('risk-register-tier-2-2026-12-01.csv');
    expect(exported.label).toBe('Download the risk register (CSV, tier 2)');
    expect(exported.note).toBe('The download holds every vendor of tier 2: the name and criticality filters do not apply to it.');
  });

  it('exports overdue reviews in next-review order (the one order the register serves them in)', () => {
    const exported = registerExport({ overdue: true }, '2026-12-01');
    expect(exported.query).toEqual({ overdue: true, sort: 'next-review' });
    expect(exported.fileName).toBe('risk-register-overdue-reviews-2026-12-01.csv');
    expect(exported.label).toBe('Download the risk register (CSV, overdue reviews)');
  });

  it('shows an onboarding vendor whose assessment was approved as becoming active, until it is', () => {
    expect(vendorStatusText('onboarding', { status: 'approved-with-conditions' })).toEqual({ text: 'Onboarding (becomes active once the approval is recorded)', awaitsActivation: true });
    expect(vendorStatusText('active', { status: 'approved' })).toEqual({ text: 'Active', awaitsActivation: false });
    expect(vendorStatusText('onboarding', { status: 'awaiting-review' })).toEqual({ text: 'Onboarding', awaitsActivation: false });
    expect(vendorStatusText('onboarding', null).text).toBe('Onboarding');
  });

  it('sends only the changed fields of an edit', () => {
    const vendor = { name: 'Acme', website: 'https://acme.example', contactEmail: 'a@acme.example', contactName: null, description: null, businessOwner: 'Kim', criticality: 'low', dataClassification: 'internal', systemAccess: 'none', recordVolume: 'none', status: 'onboarding', dataTypes: ['personal', 'payment'] } as unknown as Vendor;
    const values = { name: ' Acme ', website: 'https://acme.example', contactEmail: 'bad', contactName: '', description: '', businessOwner: 'Kim', criticality: 'high', dataClassification: 'internal', systemAccess: 'none', recordVolume: 'none', status: 'active', dataTypes: ['payment', 'personal'] };
    expect(profileChanges(vendor, values)).toEqual({ contactEmail: 'bad', criticality: 'high', status: 'active' });
    expect(profileChanges(vendor, { ...values, dataTypes: 'personal' })).toMatchObject({ dataTypes: ['personal'] });
  });
});

describe('the common client helpers', () => {
  it('writes labels, query strings and record ids as the pages show them', () => {
    expect(label('approved-with-conditions')).toBe('Approved with conditions');
    expect(label(null)).toBe('—');
    expect(queryString({ q: 'a b', tier: '', limit: 100, cursor: null })).toBe('?q=a%20b&limit=100');
    expect(lastPathSegment('/vendors/abc%2Dd')).toBe('abc-d');
    expect(lastPathSegment('/vendors/%E0%A4%A')).toBe('');
  });

  it('puts a problem in words, and a non-problem answer too', () => {
    expect(problemText({ type: 'x', title: 'Invalid request', status: 400, code: 'validation', detail: 'check the fields' })).toBe('Invalid request: check the fields');
    expect(problemText(problemOf(502, '<html>Bad gateway</html>'))).toBe('The server answered 502: try again in a moment.');
    expect(fieldErrorLines({ type: 'x', title: 't', status: 400, code: 'c', errors: [{ path: 'contactEmail', message: 'must be an email address' }] }, { contactEmail: 'Security contact email' })).toEqual([
      'Security contact email: must be an email address',
    ]);
  });

  it('reads the claims of an unexpired token only', () => {
    const token = (claims: object) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s`;
    expect(claimsOf(token({ sub: 'u1', exp: 2_000 }), 1_000_000)?.sub).toBe('u1');
    expect(claimsOf(token({ sub: 'u1', exp: 2_000 }), 3_000_000)).toBeNull();
    expect(claimsOf('garbage', 0)).toBeNull();
  });
});
