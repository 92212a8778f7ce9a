import type { AuditEvent } from '../domain/audit.ts';
import type { RegisterExportJob } from '../domain/register-export.ts';
import type { PortfolioCounts, RegisterLine, RegisterPlan } from '../domain/risk-register.ts';
import type { Page } from './page.ts';
import type { FourthPartyCounts, FourthPartyMember } from '../domain/fourth-parties.ts';

/** The materialized risk register: its lines by view, a page at a time, and the portfolio counts. */
export interface RiskRegisterReader {
  /** One page of register lines as the plan says (a view, its key range, residual filters), in the view's order. */
  listRegisterLines(plan: RegisterPlan, page: { limit: number; cursor?: string }): Promise<Page<RegisterLine>>;
  /** The lines of these vendors (at most 100), for a page of another list; vendors without a line are absent. */
  getRegisterLines(vendorIds: string[]): Promise<RegisterLine[]>;
  /** The whole portfolio's counts (summed over their shards), with the review dates of these months (YYYY-MM). */
  portfolioCounts(months: string[]): Promise<PortfolioCounts>;
  /** One page of the providers our vendors depend on (their maintained counters), most concentrated first or by name. */
  listFourthParties(sort: 'concentration' | 'name', page: { limit: number; cursor?: string }): Promise<Page<FourthPartyCounts>>;
  /** One provider's counters; null when no vendor depends on it. */
  getFourthParty(providerKey: string): Promise<FourthPartyCounts | null>;
  /** One page of the vendors that depend on a provider, tier 1 first, then by name. */
  listFourthPartyMembers(providerKey: string, page: { limit: number; cursor?: string }): Promise<Page<FourthPartyMember>>;
}

/** CSV exports of the register as jobs, each change written with its audit event. */
export interface RegisterExportJobs {
  insertExport(job: RegisterExportJob, event: AuditEvent): Promise<void>;
  getExport(id: string): Promise<RegisterExportJob | null>;
  /** Replaces the job if still at `expectedVersion`, else ConcurrentUpdateError. */
  replaceExport(job: RegisterExportJob, expectedVersion: number, event: AuditEvent): Promise<void>;
}
