/**
 * Every key string of the table is built here and nowhere else. docs/access-patterns.md lists the
 * patterns these keys serve.
 */
import type { AuditTarget } from '../../domain/audit.ts';
import type { Tier } from '../../domain/vendor.ts';

const nameKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');
/** Rating order in the register-by-rating index: unrated first, critical last (descending = riskiest first). */
const RATING_RANK: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };
/** Lines without a review date sort after every date. */
const NO_REVIEW_DATE = '9999-12-31';
/** 10^9 - n, zero-padded: sorts the largest counts first in ascending order. */
const complement = (n: number) => String(1_000_000_000 - n).padStart(10, '0');

export const keys = {
  vendor: (id: string) => ({ pk: `VENDOR#${id}`, sk: 'VENDOR' }),
  /** All vendors, sorted by name (gsi1) and by tier then name (gsi2). */
  vendorIndexes: (v: { id: string; name: string; tier: Tier }) => ({
    gsi1pk: 'VENDORS',
    gsi1sk: `${nameKey(v.name)}#${v.id}`,
    gsi2pk: `VENDORS#TIER#${v.tier}`,
    gsi2sk: `${nameKey(v.name)}#${v.id}`,
  }),
  vendorsByName: () => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'VENDORS', skName: 'gsi1sk' }),
  vendorsByTier: (tier: Tier) => ({ index: 'gsi2' as const, pkName: 'gsi2pk', pk: `VENDORS#TIER#${tier}`, skName: 'gsi2sk' }),
  vendorNamePrefix: (prefix: string) => nameKey(prefix),
  /** Claims a vendor name so that two vendors cannot share one (case-insensitive). */
  vendorNameClaim: (name: string) => ({ pk: `VENDORNAME#${nameKey(name)}`, sk: 'CLAIM' }),
  /** Events of a target in sequence order (the hash chain's order); also by day on gsi1. */
  auditEvent: (target: AuditTarget, seq: number, at: string, eventId: string) => ({
    pk: `AUDIT#${target.type}#${target.id}`,
    sk: `SEQ#${String(seq).padStart(10, '0')}`,
    gsi1pk: `AUDIT#${at.slice(0, 10)}`,
    gsi1sk: `${at}#${eventId}`,
  }),
  /** The head of a target's audit chain; all heads are listed on gsi2 for verification. */
  auditHead: (target: AuditTarget) => ({ pk: `AUDITHEAD#${target.type}#${target.id}`, sk: 'HEAD', gsi2pk: 'AUDITHEADS', gsi2sk: `${target.type}#${target.id}` }),
  allAuditHeads: () => ({ index: 'gsi2' as const, pkName: 'gsi2pk', pk: 'AUDITHEADS' }),
  auditEventsFor: (target: AuditTarget) => ({ pk: `AUDIT#${target.type}#${target.id}` }),
  /** A target's events from the first through `seq` (what its head vouches for). */
  auditEventsThrough: (target: AuditTarget, seq: number) => ({ pk: `AUDIT#${target.type}#${target.id}`, lastSk: `SEQ#${String(seq).padStart(10, '0')}` }),
  /** The event of a target at `seq` (a checkpoint names one). */
  auditEventAt: (target: AuditTarget, seq: number) => ({ pk: `AUDIT#${target.type}#${target.id}`, sk: `SEQ#${String(seq).padStart(10, '0')}` }),
  /** A target's events after `afterSeq` through `throughSeq` (what incremental verification reads). */
  auditEventsBetween: (target: AuditTarget, afterSeq: number, throughSeq: number) => ({
    pk: `AUDIT#${target.type}#${target.id}`,
    afterSk: `SEQ#${String(afterSeq).padStart(10, '0')}`,
    lastSk: `SEQ#${String(throughSeq).padStart(10, '0')}`,
  }),
  /** Events of one day from `fromAt` on (gsi1; what incremental verification reads to find the chains that grew). */
  auditEventsOfDay: (day: string, fromAt: string) => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: `AUDIT#${day}`, skName: 'gsi1sk', fromSk: fromAt }),
  /** The last verified event of a target's chain: its sequence and the hash it must still reproduce. */
  auditCheckpoint: (target: AuditTarget) => ({ pk: `AUDITCHECKPOINT#${target.type}#${target.id}`, sk: 'CHECKPOINT' }),
  /** Up to when the incremental verification has read the events appended. */
  auditVerifiedThrough: () => ({ pk: 'AUDITVERIFIED', sk: 'THROUGH' }),
  /** An audit verification job and its report. */
  auditVerificationJob: (id: string) => ({ pk: `AUDITVERIFICATION#${id}`, sk: 'JOB' }),
  registerExport: (id: string) => ({ pk: `REGISTEREXPORT#${id}`, sk: 'JOB' }),
  /** The write-ahead record of a multi-item write on dynalite (ADR 2); all of them on gsi1 for recovery at start. */
  writeIntent: (batchId: string) => ({ pk: `WRITEINTENT#${batchId}`, sk: 'INTENT' }),
  writeIntentIndexes: (batchId: string, startedAt: string) => ({ gsi1pk: 'WRITEINTENTS', gsi1sk: `${startedAt}#${batchId}` }),
  allWriteIntents: () => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'WRITEINTENTS' }),

  assessment: (id: string) => ({ pk: `ASSESSMENT#${id}`, sk: 'ASSESSMENT' }),
  /**
   * All assessments (gsi1) and a vendor's (gsi2), by creation time; while not final also on the sparse
   * assessments-open and assessments-by-open-status indexes (the attributes go when the assessment is final).
   */
  assessmentIndexes: (a: { id: string; vendorId: string; createdAt: string; status: string }, final: boolean) => ({
    gsi1pk: 'ASSESSMENTS',
    gsi1sk: `${a.createdAt}#${a.id}`,
    gsi2pk: `VENDOR#${a.vendorId}#ASSESSMENTS`,
    gsi2sk: `${a.createdAt}#${a.id}`,
    ...(final ? {} : { openPk: 'ASSESSMENTS#OPEN', openStatusPk: `ASSESSMENTS#STATUS#${a.status}`, openSk: `${a.createdAt}#${a.id}` }),
  }),
  /** Assessments not yet final, by creation time (sparse). */
  openAssessments: () => ({ index: 'assessments-open' as const, pkName: 'openPk', pk: 'ASSESSMENTS#OPEN', skName: 'openSk' }),
  /** Assessments in one status that is not final, by creation time (sparse). */
  openAssessmentsIn: (status: string) => ({ index: 'assessments-by-open-status' as const, pkName: 'openStatusPk', pk: `ASSESSMENTS#STATUS#${status}`, skName: 'openSk' }),
  allAssessments: () => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'ASSESSMENTS', skName: 'gsi1sk' }),
  vendorAssessments: (vendorId: string) => ({ index: 'gsi2' as const, pkName: 'gsi2pk', pk: `VENDOR#${vendorId}#ASSESSMENTS`, skName: 'gsi2sk' }),
  answerSheet: (assessmentId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, sk: 'ANSWERS' }),
  document: (assessmentId: string, documentId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, sk: `DOCUMENT#${documentId}` }),
  /** How many documents an assessment holds: the conditional write on it keeps the 20-document limit under races. */
  documentCount: (assessmentId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, sk: 'DOCUMENTCOUNT' }),
  /** An announced upload (expires through the table's TTL). */
  uploadIntent: (assessmentId: string, uploadId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, sk: `UPLOAD#${uploadId}` }),
  documentsOf: (assessmentId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, skPrefix: 'DOCUMENT#' }),
  portalToken: (tokenHash: string) => ({ pk: `PORTALTOKEN#${tokenHash}`, sk: 'TOKEN' }),
  portalTokenIndexes: (t: { assessmentId: string; createdAt: string; tokenHash: string }) => ({
    gsi1pk: `ASSESSMENT#${t.assessmentId}#PORTALTOKENS`,
    gsi1sk: `${t.createdAt}#${t.tokenHash}`,
  }),
  portalTokensOf: (assessmentId: string) => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: `ASSESSMENT#${assessmentId}#PORTALTOKENS` }),
  riskRecord: (assessmentId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, sk: 'RISK' }),
  /** The per-vendor risk summary written before the materialized register (issue 15); read only by the migration. */
  vendorRiskSummary: (vendorId: string) => ({ pk: `VENDOR#${vendorId}`, sk: 'RISK' }),
  notice: (n: { vendorId: string; kind: string; on: string }) => ({ pk: `VENDOR#${n.vendorId}`, sk: `NOTICE#${n.kind}#${n.on}` }),
  idempotency: (hash: string) => ({ pk: `IDEMPOTENCY#${hash}`, sk: 'KEY' }),
  pendingTask: (assessmentId: string) => ({ pk: `ASSESSMENT#${assessmentId}`, sk: 'WORKFLOW' }),
  pendingTaskIndexes: (t: { assessmentId: string; since: string }) => ({ gsi1pk: 'PENDINGTASKS', gsi1sk: `${t.since}#${t.assessmentId}` }),
  allPendingTasks: () => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'PENDINGTASKS' }),
  /** The local runner's durable record of one workflow execution (what Step Functions keeps in AWS). */
  workflowExecution: (name: string) => ({ pk: `EXECUTION#${name}`, sk: 'EXECUTION' }),
  /** Unfinished executions only (the index attributes are removed when an execution ends). */
  runningExecutionIndexes: (e: { name: string; startedAt: string }) => ({ gsi1pk: 'EXECUTIONS#RUNNING', gsi1sk: `${e.startedAt}#${e.name}` }),
  runningExecutions: () => ({ index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'EXECUTIONS#RUNNING' }),
  /** A vendor's line of the materialized risk register (beside the vendor). */
  registerLine: (vendorId: string) => ({ pk: `VENDOR#${vendorId}`, sk: 'REGISTER' }),
  /**
   * Where a register line sorts in each view: by name (gsi1), by rating, next review date and tier (the
   * register-by-* indexes). Each view's sort key ends in name and id, so lines of one rating, tier or date are in
   * name order and every key is unique.
   */
  registerLineIndexes: (l: { vendorId: string; vendorName: string; rating: string | null; nextReviewDate: string | null; tier: number }) => {
    const byName = `${nameKey(l.vendorName)}#${l.vendorId}`;
    return {
      gsi1pk: 'REGISTER',
      gsi1sk: byName,
      registerPk: 'REGISTER',
      registerByRatingSk: `${RATING_RANK[l.rating ?? ''] ?? 0}#${byName}`,
      registerByNextReviewSk: `${l.nextReviewDate ?? NO_REVIEW_DATE}#${byName}`,
      registerByTierSk: `${l.tier}#${byName}`,
    };
  },
  /** The index that serves a register view, and the sort key prefix of one rating or tier within it. */
  registerView: (view: 'name' | 'rating' | 'next-review' | 'tier') =>
    view === 'name'
      ? { index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'REGISTER', skName: 'gsi1sk' }
      : view === 'rating'
        ? { index: 'register-by-rating' as const, pkName: 'registerPk', pk: 'REGISTER', skName: 'registerByRatingSk' }
        : view === 'next-review'
          ? { index: 'register-by-next-review' as const, pkName: 'registerPk', pk: 'REGISTER', skName: 'registerByNextReviewSk' }
          : { index: 'register-by-tier' as const, pkName: 'registerPk', pk: 'REGISTER', skName: 'registerByTierSk' },
  registerRatingPrefix: (rating: string | null) => `${RATING_RANK[rating ?? ''] ?? 0}#`,
  registerTierPrefix: (tier: number) => `${tier}#`,
  /** Upper bound (inclusive) of the next-review sort keys on or before `date`. */
  registerReviewOnOrBefore: (date: string) => `${date}#\uffff`,
  /** One shard of the portfolio counts; a vendor always counts in the same shard. */
  registerCountsShard: (shard: number) => ({ pk: 'REGISTERCOUNTS', sk: `SHARD#${String(shard).padStart(2, '0')}` }),
  /** One counts shard's next review dates of one month (YYYY-MM). */
  registerReviewDays: (shard: number, month: string) => ({ pk: 'REGISTERCOUNTS', sk: `SHARD#${String(shard).padStart(2, '0')}#DAYS#${month}` }),
  /**
   * A provider's counters (fourth parties), listed on gsi1 by provider and on gsi2 most concentrated first: fewest
   * "missing" tier-1 vendors, then vendors, as fixed-width complements so that an ascending query reads the largest
   * first.
   */
  fourthPartyCounts: (providerKey: string) => ({ pk: `FOURTHPARTY#${providerKey}`, sk: 'COUNTS' }),
  fourthPartyCountsIndexes: (c: { providerKey: string; vendors: number; tier1Vendors: number }) => ({
    gsi1pk: 'FOURTHPARTIES',
    gsi1sk: c.providerKey,
    gsi2pk: 'FOURTHPARTIES#CONCENTRATION',
    gsi2sk: `${complement(c.tier1Vendors)}#${complement(c.vendors)}#${c.providerKey}`,
  }),
  fourthPartiesBy: (sort: 'name' | 'concentration') =>
    sort === 'name' ? { index: 'gsi1' as const, pkName: 'gsi1pk', pk: 'FOURTHPARTIES', skName: 'gsi1sk' } : { index: 'gsi2' as const, pkName: 'gsi2pk', pk: 'FOURTHPARTIES#CONCENTRATION', skName: 'gsi2sk' },
  /** A vendor on a provider, in the provider's partition: tier first, then name (the most critical vendors first). */
  fourthPartyMember: (m: { providerKey: string; tier: number; vendorName: string; vendorId: string }) => ({ pk: `FOURTHPARTY#${m.providerKey}`, sk: `MEMBER#${m.tier}#${nameKey(m.vendorName)}#${m.vendorId}` }),
  fourthPartyMembersOf: (providerKey: string) => ({ pk: `FOURTHPARTY#${providerKey}`, skPrefix: 'MEMBER#' }),
  /**
   * A vendor's review schedule. Its index attributes (sparse index vendors-by-next-review-due) hold the day the daily
   * sweep looks at the vendor next, so the sweep queries `<= today` and reads only the vendors it has work for.
   */
  reviewSchedule: (vendorId: string) => ({ pk: `VENDOR#${vendorId}`, sk: 'REVIEWSCHEDULE' }),
  reviewScheduleIndexes: (s: { vendorId: string; watchFrom: string }) => ({ reviewWatchPk: 'REVIEWWATCH', reviewWatchSk: `${s.watchFrom}#${s.vendorId}` }),
  /** Upper bound of a `<day>#<id>` sort key for everything due on `day` or earlier (both sparse due indexes). */
  dueThrough: (day: string) => `${day}#\uffff`,
  vendorsByNextReviewDue: () => ({ index: 'vendors-by-next-review-due' as const, pkName: 'reviewWatchPk', pk: 'REVIEWWATCH', skName: 'reviewWatchSk' }),
  /**
   * Open assessments by due date, one partition per status (sparse index assessments-by-due-date): the attributes are
   * on an assessment only while it is open and go in the write that makes it final.
   */
  openAssessmentDueIndexes: (a: { id: string; status: string; dueDate: string }) => ({ openDuePk: `OPEN#${a.status}`, openDueSk: `${a.dueDate}#${a.id}` }),
  openAssessmentsByDueDate: (status: string) => ({ index: 'assessments-by-due-date' as const, pkName: 'openDuePk', pk: `OPEN#${status}`, skName: 'openDueSk' }),
  /** The daily sweep's claim on one vendor for one day (kept a week through the TTL). */
  vendorSweep: (vendorId: string, day: string) => ({ pk: `VENDOR#${vendorId}`, sk: `SWEEP#${day}` }),
  /** Marks a vendor's one open assessment; present from start until the assessment is final. */
  openAssessment: (vendorId: string) => ({ pk: `VENDOR#${vendorId}`, sk: 'OPENASSESSMENT' }),
} as const;
