/** Fourth parties, pure: dependencies from the evidence, membership deltas of a line's change, counters, the concentration rule. */
import { describe, expect, it } from 'vitest';
import {
  changesOf,
  concentrationFinding,
  countsAfterChange,
  countsFromMembers,
  dependenciesFrom,
  membersOf,
  regionStated,
  type FourthPartyCounts,
  type FourthPartyLine,
} from '../../shared/domain/fourth-parties.ts';
import { RISK_POLICY, parseRiskPolicy } from '../../shared/domain/risk/risk-policy.ts';
import type { SubserviceOrganization } from '../../shared/domain/soc2/types.ts';

const report = (documentId: string, subs: SubserviceOrganization[], page = 14) => ({
  documentId,
  fileName: `${documentId}.pdf`,
  analysis: { subserviceOrganizations: subs, evidence: { subserviceOrganizations: { page, quote: 'Acme uses …' } } },
});
const aws: SubserviceOrganization = { name: 'Amazon Web Services', nameAsWritten: 'Amazon Web Services, Inc.', method: 'carve-out', services: 'cloud hosting in us-east-1' };
const stripe: SubserviceOrganization = { name: 'Stripe', method: 'inclusive', services: 'payment processing' };

const line = (over: Partial<FourthPartyLine> = {}): FourthPartyLine => ({
  vendorId: 'v1',
  vendorName: 'Acme Payroll',
  tier: 1,
  criticality: 'critical',
  status: 'active',
  dataClassification: 'restricted',
  assessmentId: 'a1',
  fourthParties: dependenciesFrom([report('d1', [aws, stripe])]),
  ...over,
});

describe('dependencies from the evidence', () => {
  it('keeps one entry per canonical provider with method, services, the region stated and the page that cites it', () => {
    const deps = dependenciesFrom([report('d1', [aws, stripe]), report('d2', [{ name: 'Amazon Web Services', method: 'inclusive', services: null }], 3)]);
    expect(deps).toEqual([
      { providerKey: 'amazon-web-services', provider: 'Amazon Web Services', method: 'carve-out', services: 'cloud hosting in us-east-1', region: 'us-east-1', citation: { documentId: 'd1', fileName: 'd1.pdf', page: 14 } },
      { providerKey: 'stripe', provider: 'Stripe', method: 'inclusive', services: 'payment processing', region: null, citation: { documentId: 'd1', fileName: 'd1.pdf', page: 14 } },
    ]);
  });

  it('reads AWS, Google Cloud and Azure region names, and not a country', () => {
    expect(['hosting in eu-central-1', 'compute in europe-west3', 'data centers in East US 2', 'hosted in the United States'].map(regionStated)).toEqual(['eu-central-1', 'europe-west3', 'East US 2', null]);
  });

  it('reads an AWS code whose hyphen a PDF line break swallowed, written back with its hyphens', () => {
    expect([regionStated('hosting in the useast-1 region'), regionStated('GovCloud us-govwest-1')]).toEqual(['us-east-1', 'us-gov-west-1']);
  });
});

describe('membership deltas', () => {
  it('adds a membership per provider for a newly scored vendor', () => {
    const changes = changesOf(line({ fourthParties: [] }), line());
    expect(changes.map((c) => [c.providerKey, c.before, c.after?.tier])).toEqual([
      ['amazon-web-services', null, 1],
      ['stripe', null, 1],
    ]);
  });

  it('removes the provider a newer report no longer names, and leaves the unchanged one alone', () => {
    const newer = line({ fourthParties: dependenciesFrom([report('d1', [stripe])]), assessmentId: 'a1' });
    expect(changesOf(line(), newer).map((c) => [c.providerKey, c.before?.vendorId, c.after])).toEqual([['amazon-web-services', 'v1', null]]);
  });

  it('moves every membership when the tier changes, and drops them all when the vendor is offboarded', () => {
    expect(changesOf(line(), line({ tier: 2 })).map((c) => [c.providerKey, c.before?.tier, c.after?.tier])).toEqual([
      ['amazon-web-services', 1, 2],
      ['stripe', 1, 2],
    ]);
    expect(membersOf(line({ status: 'offboarded' }))).toEqual([]);
  });

  it('sees no change when nothing the memberships hold moved', () => {
    expect(changesOf(line(), line())).toEqual([]);
  });
});

describe('counters', () => {
  const tier1 = (id: string) => membersOf(line({ vendorId: id, vendorName: `Vendor ${id}` }))[0]!;

  it('counts vendors by tier, data classification and method, and moves a tier change between tiers', () => {
    const [change] = changesOf(line(), line({ tier: 2, dataClassification: 'confidential' }));
    const before = countsFromMembers([tier1('v1'), tier1('v2')]).get('amazon-web-services')!;
    expect(before).toMatchObject({ vendors: 2, byTier: { '1': 2 }, byDataClassification: { restricted: 2 }, byMethod: { 'carve-out': 2 } });
    expect(countsAfterChange(before, change!)).toMatchObject({ vendors: 2, byTier: { '1': 1, '2': 1 }, byDataClassification: { restricted: 1, confidential: 1 } });
  });

  it('deletes the counters when the last vendor leaves the provider', () => {
    const counts = countsFromMembers([tier1('v1')]).get('amazon-web-services')!;
    expect(countsAfterChange(counts, { providerKey: 'amazon-web-services', before: tier1('v1'), after: null })).toBeNull();
  });
});

describe('the concentration rule', () => {
  const counts = (tier1Vendors: number): FourthPartyCounts => ({ providerKey: 'amazon-web-services', provider: 'Amazon Web Services', vendors: tier1Vendors, byTier: { '1': tier1Vendors }, byDataClassification: {}, byMethod: {} });

  it('raises a finding when more than the policy share of tier-1 vendors depend on one provider', () => {
    expect(concentrationFinding(counts(3), 5, RISK_POLICY)).toMatchObject({ ruleId: 'fourth-party-concentration', severity: 'high', share: 0.6, tier1Vendors: 3, portfolioTier1Vendors: 5, policyVersion: RISK_POLICY.version });
  });

  it('raises none at or under the share, or below the minimum number of vendors', () => {
    expect(concentrationFinding(counts(4), 10, RISK_POLICY)).toBeNull();
    expect(concentrationFinding(counts(2), 2, RISK_POLICY)).toBeNull();
  });

  it('follows the policy: a raised threshold clears the finding', () => {
    const raised = parseRiskPolicy({ ...RISK_POLICY, version: 'test-raised', fourthPartyConcentration: { ...RISK_POLICY.fourthPartyConcentration, maxShareOfTier1: 0.7 } });
    expect(concentrationFinding(counts(3), 5, RISK_POLICY)).not.toBeNull();
    expect(concentrationFinding(counts(3), 5, raised)).toBeNull();
  });
});
