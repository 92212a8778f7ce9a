/**
 * Fourth parties across the portfolio: the providers our vendors' current reports name, with the concentration rule of
 * the risk policy. Answers from the maintained counters and memberships only (a fixed number of reads per page).
 */
import { NotFoundError } from '../domain/errors.ts';
import { concentrationFinding, tier1ShareOf, type ConcentrationFinding, type FourthPartyCounts, type FourthPartyMember } from '../domain/fourth-parties.ts';
import { RISK_POLICY, type RiskPolicy } from '../domain/risk/risk-policy.ts';
import type { AppDeps } from './deps.ts';

/** A provider as the list shows it. */
export interface FourthPartySummary extends FourthPartyCounts {
  /** The provider's share of our tier-1 vendors (not offboarded). */
  tier1Share: number;
  concentration: ConcentrationFinding | null;
}

export interface FourthPartyList {
  items: FourthPartySummary[];
  nextCursor: string | null;
  portfolioTier1Vendors: number;
  policy: { version: string } & RiskPolicy['fourthPartyConcentration'];
}

/** The vendors that depend on one provider; the finding's evidence is its tier-1 vendors with their citations. */
export interface FourthPartyDetail {
  provider: FourthPartySummary;
  vendors: FourthPartyMember[];
  nextCursor: string | null;
  evidence: { vendorId: string; vendorName: string; documentId: string; fileName: string; page: number | null }[];
}

type Deps = Pick<AppDeps, 'register'> & { riskPolicy?: RiskPolicy };

const policyOf = (deps: Deps) => deps.riskPolicy ?? RISK_POLICY;

/** Our tier-1 vendors that are not offboarded, from the register's maintained counts. */
async function portfolioTier1(deps: Deps): Promise<number> {
  // The summaries only: no review dates needed.
  const counts = await deps.register.portfolioCounts([]);
  return counts.summary.byTierInUse['1'] ?? 0;
}

const summaryOf = (counts: FourthPartyCounts, tier1: number, policy: RiskPolicy): FourthPartySummary => ({
  ...counts,
  tier1Share: tier1ShareOf(counts, tier1),
  concentration: concentrationFinding(counts, tier1, policy),
});

/** One page of providers, most concentrated first (or by name), each with its concentration finding under the policy. */
export async function listFourthParties(deps: Deps, sort: 'concentration' | 'name', page: { limit: number; cursor?: string }): Promise<FourthPartyList> {
  const policy = policyOf(deps);
  const [tier1, providers] = await Promise.all([portfolioTier1(deps), deps.register.listFourthParties(sort, page)]);
  return {
    items: providers.items.map((c) => summaryOf(c, tier1, policy)),
    nextCursor: providers.nextCursor,
    portfolioTier1Vendors: tier1,
    policy: { version: policy.version, ...policy.fourthPartyConcentration },
  };
}

/** One provider and a page of the vendors that go down with it (tier 1 first). */
export async function getFourthParty(deps: Deps, providerKey: string, page: { limit: number; cursor?: string }): Promise<FourthPartyDetail> {
  const policy = policyOf(deps);
  const [tier1, counts, members] = await Promise.all([portfolioTier1(deps), deps.register.getFourthParty(providerKey), deps.register.listFourthPartyMembers(providerKey, page)]);
  if (!counts) throw new NotFoundError('Fourth party', providerKey);
  const provider = summaryOf(counts, tier1, policy);
  return {
    provider,
    vendors: members.items,
    nextCursor: members.nextCursor,
    evidence: provider.concentration
      ? members.items.filter((m) => m.tier === 1).map((m) => ({ vendorId: m.vendorId, vendorName: m.vendorName, documentId: m.citation.documentId, fileName: m.citation.fileName, page: m.citation.page }))
      : [],
  };
}
