/**
 * One-off backfill for a table written before issue 15: builds each vendor's register line (from the vendor and the
 * per-vendor risk summary the old code kept at `VENDOR#<id>/RISK`), puts the open assessments on the sparse status
 * indexes, and rebuilds the portfolio counts from the lines. For a table written before fourth parties were kept
 * (issue 18), it completes each line with its data classification and the providers of its scored evidence, writes
 * their membership items, and rebuilds the providers' counters from the lines. Idempotent (a line that exists is left alone: the live
 * code keeps it current) and resumable (a checkpoint after every page; a run that stopped continues from it).
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { FINAL_STATUSES, type Assessment } from '../../domain/assessment.ts';
import { readAssessment } from './assessment-items.ts';
import type { EvidenceDocument } from '../../domain/evidence.ts';
import { effectiveAnalysis } from '../../domain/evidence.ts';
import type { VendorRiskSummary } from '../../domain/risk-record.ts';
import { countsAfter, emptyCounts, lineWithRiskSummary, lineWithVendor, type RegisterCounts, type RegisterLine } from '../../domain/risk-register.ts';
import type { Vendor } from '../../domain/vendor.ts';
import { scheduleFromDecision } from '../../domain/review-schedule.ts';
import { organizationKey } from '../../domain/soc2/names/canonical-names.ts';
import type { ReportAnalysis } from '../../domain/soc2/types.ts';
import { RISK_POLICY } from '../../domain/risk/risk-policy.ts';
import { countsFromMembers, currentReportDocuments, dependenciesFrom, membersOf, type FourthPartyDependency, type FourthPartyMember } from '../../domain/fourth-parties.ts';
import { fourthPartyCountsItem, fourthPartyMemberItem, readFourthPartyCounts } from './fourth-party-items.ts';
import { crashPoint } from '../local/crash-points.ts';
import { readVendor } from './dynamo-repository.ts';
import { reviewScheduleItem } from './dynamo-sweep-schedule.ts';
import { keys } from './keys.ts';
import { countsItems, countsShardOf, readRegisterLine, REGISTER_COUNT_SHARDS, registerLineItem } from './register-items.ts';

type Item = Record<string, unknown>;

export interface BackfillReport {
  vendors: number;
  linesWritten: number;
  linesKept: number;
  assessmentsIndexed: number;
  /** Review schedules put on the sweep's index for vendors whose latest decision set a review date (ADR 14). */
  schedulesWritten: number;
  countShards: number;
  /** Lines completed with their fourth parties (and the memberships written). */
  fourthPartyLines: number;
  /** Providers whose counters were rebuilt. */
  fourthParties: number;
  resumedFrom: string | null;
  /** False when the run stopped at its time budget (`shouldStop`) after a checkpoint: run it again to continue. */
  finished: boolean;
}

type Phase = 'lines' | 'assessments' | 'schedules' | 'fourth-parties' | 'counts' | 'done';
interface Checkpoint {
  phase: Phase;
  cursor: Item | null;
  report: BackfillReport;
}

const CHECKPOINT_KEY = { pk: 'MIGRATION#register-v1', sk: 'CHECKPOINT' };
const PAGE = 100;

/**
 * Builds what a table written before issue 15 lacks, in phases, with a checkpoint after every page. `shouldStop` is
 * asked after each checkpoint (a Lambda's remaining time): when it says yes the run ends with `finished: false`, and
 * the next run continues from the checkpoint.
 */
export async function backfillRegister(client: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date(), options: { shouldStop?: () => boolean } = {}): Promise<BackfillReport> {
  const saved = (await client.send(new GetCommand({ TableName: tableName, Key: CHECKPOINT_KEY, ConsistentRead: true }))).Item?.data as Checkpoint | undefined;
  const resuming = saved && saved.phase !== 'done' ? saved : null;
  const state: Checkpoint = resuming ?? { phase: 'lines', cursor: null, report: { vendors: 0, linesWritten: 0, linesKept: 0, assessmentsIndexed: 0, schedulesWritten: 0, countShards: 0, fourthPartyLines: 0, fourthParties: 0, resumedFrom: null, finished: false } };
  if (resuming) state.report.resumedFrom = `${resuming.phase}${resuming.cursor ? ' (part-way)' : ''}`;
  const save = async () => {
    await client.send(new PutCommand({ TableName: tableName, Item: { ...CHECKPOINT_KEY, entity: 'migration-checkpoint', data: state } }));
    crashPoint('migrate:checkpoint-saved');
  };
  const outOfTime = () => options.shouldStop?.() === true;
  const next = async (phase: Phase) => {
    state.phase = phase;
    state.cursor = null;
    await save();
  };

  if (state.phase === 'lines') {
    const vendors = keys.vendorsByName();
    do {
      const page = await client.send(
        new QueryCommand({ TableName: tableName, IndexName: vendors.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': vendors.pkName }, ExpressionAttributeValues: { ':pk': vendors.pk }, Limit: PAGE, ...(state.cursor ? { ExclusiveStartKey: state.cursor } : {}) }),
      );
      await writeLines(client, tableName, (page.Items ?? []).map(readVendor), state.report, now().toISOString());
      state.cursor = page.LastEvaluatedKey ?? null;
      await save();
      if (state.cursor && outOfTime()) return { ...state.report, finished: false };
    } while (state.cursor);
    await next('assessments');
  }

  if (state.phase === 'assessments') {
    const all = keys.allAssessments();
    do {
      const page = await client.send(
        new QueryCommand({ TableName: tableName, IndexName: all.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': all.pkName }, ExpressionAttributeValues: { ':pk': all.pk }, Limit: PAGE, ...(state.cursor ? { ExclusiveStartKey: state.cursor } : {}) }),
      );
      for (const item of page.Items ?? []) {
        const a = readAssessment(item);
        if (FINAL_STATUSES.includes(a.status) || item.openPk !== undefined) continue;
        try {
          await client.send(
            new PutCommand({
              TableName: tableName,
              Item: { ...item, ...keys.assessmentIndexes(a, false) },
              // Only over the version read: a change made meanwhile by the live code wrote the attributes itself.
              ConditionExpression: '#version = :version',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':version': item.version as number },
            }),
          );
          state.report.assessmentsIndexed++;
        } catch (error) {
          if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        }
      }
      state.cursor = page.LastEvaluatedKey ?? null;
      await save();
      if (state.cursor && outOfTime()) return { ...state.report, finished: false };
    } while (state.cursor);
    await next('schedules');
  }

  if (state.phase === 'schedules') {
    state.report.schedulesWritten ??= 0;
    const vendors = keys.vendorsByName();
    const today = now().toISOString().slice(0, 10);
    do {
      const page = await client.send(
        new QueryCommand({ TableName: tableName, IndexName: vendors.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': vendors.pkName }, ExpressionAttributeValues: { ':pk': vendors.pk }, Limit: PAGE, ...(state.cursor ? { ExclusiveStartKey: state.cursor } : {}) }),
      );
      const written = await Promise.all((page.Items ?? []).map((item) => writeSchedule(client, tableName, readVendor(item).id, today)));
      state.report.schedulesWritten += written.filter(Boolean).length;
      state.cursor = page.LastEvaluatedKey ?? null;
      await save();
      if (state.cursor && outOfTime()) return { ...state.report, finished: false };
    } while (state.cursor);
    await next('fourth-parties');
  }

  if (state.phase === 'fourth-parties') {
    const vendors = keys.vendorsByName();
    do {
      const page = await client.send(
        new QueryCommand({ TableName: tableName, IndexName: vendors.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': vendors.pkName }, ExpressionAttributeValues: { ':pk': vendors.pk }, Limit: PAGE, ...(state.cursor ? { ExclusiveStartKey: state.cursor } : {}) }),
      );
      state.report.fourthPartyLines += await completeFourthParties(client, tableName, (page.Items ?? []).map(readVendor), now().toISOString());
      state.cursor = page.LastEvaluatedKey ?? null;
      await save();
      if (state.cursor && outOfTime()) return { ...state.report, finished: false };
    } while (state.cursor);
    await next('counts');
  }

  if (state.phase === 'counts') {
    state.report.countShards = await rebuildCounts(client, tableName);
    state.report.fourthParties = await rebuildFourthPartyCounts(client, tableName);
    await next('done');
  }
  return { ...state.report, finished: true };
}

/**
 * The review schedule of a vendor decided before the sweep read its index: from the vendor's latest decision (an
 * approval with a review date; a rejection schedules nothing), watched from today so that the next sweep looks at it.
 * A schedule that exists was written by the live code in the decision's own write and is kept.
 */
async function writeSchedule(client: DynamoDBDocumentClient, tableName: string, vendorId: string, today: string): Promise<boolean> {
  const index = keys.vendorAssessments(vendorId);
  const decided: Assessment[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ TableName: tableName, IndexName: index.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': index.pkName }, ExpressionAttributeValues: { ':pk': index.pk }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      if (item.entity !== 'assessment') continue;
      const a = readAssessment(item);
      if (a.status === 'approved' || a.status === 'approved-with-conditions' || a.status === 'rejected') decided.push(a);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const latest = decided.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt)).at(-1);
  if (!latest || latest.status === 'rejected' || !latest.nextReviewDate) return false;
  const schedule = scheduleFromDecision({ vendorId, assessmentId: latest.id, nextReviewDate: latest.nextReviewDate, decidedOn: today });
  try {
    await client.send(new PutCommand({ TableName: tableName, Item: reviewScheduleItem(schedule), ConditionExpression: 'attribute_not_exists(pk)' }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
    return false;
  }
}

/** Lines for a page of vendors that have none yet: the vendor, and its old risk summary when it was scored. */
async function writeLines(client: DynamoDBDocumentClient, tableName: string, vendors: Vendor[], report: BackfillReport, at: string): Promise<void> {
  if (vendors.length === 0) return;
  const found = await batchGet(client, tableName, vendors.flatMap((v) => [keys.registerLine(v.id), keys.vendorRiskSummary(v.id)]));
  await Promise.all(
    vendors.map(async (vendor) => {
      report.vendors++;
      if (found.has(`${keys.registerLine(vendor.id).pk}|REGISTER`)) {
        report.linesKept++;
        return;
      }
      const old = found.get(`${keys.vendorRiskSummary(vendor.id).pk}|RISK`)?.data as VendorRiskSummary | undefined;
      let line: RegisterLine = lineWithVendor(null, vendor, at);
      if (old) {
        const evidence = await evidenceOf(client, tableName, old.assessmentId, vendor, at);
        line = lineWithRiskSummary(line, old, evidence.subservices, evidence.fourthParties) ?? line;
      }
      try {
        await client.send(new PutCommand({ TableName: tableName, Item: registerLineItem(line, 1), ConditionExpression: 'attribute_not_exists(pk)' }));
        report.linesWritten++;
      } catch (error) {
        // Written meanwhile by the live code, which keeps it current: leave it.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        report.linesKept++;
      }
    }),
  );
}

/** The subservice organizations of an assessment's analyzed evidence: their names, and as fourth-party dependencies. */
async function evidenceOf(client: DynamoDBDocumentClient, tableName: string, assessmentId: string, vendor: Vendor, at: string): Promise<{ subservices: string[]; fourthParties: FourthPartyDependency[] }> {
  const k = keys.documentsOf(assessmentId);
  const out = await client.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': k.pk, ':prefix': k.skPrefix } }));
  const analyzed: { documentId: string; fileName: string; analysis: ReportAnalysis; uploadedAt: string }[] = [];
  for (const item of out.Items ?? []) {
    const doc = item.data as EvidenceDocument;
    const analysis = doc.analysisStatus === 'analyzed' ? effectiveAnalysis(doc) : null;
    if (analysis) analyzed.push({ documentId: doc.id, fileName: doc.fileName, analysis, uploadedAt: doc.uploadedAt });
  }
  // The current report as the risk model reads it, as the live code does (risk.ts).
  const current = currentReportDocuments({ vendor, documents: analyzed, questionnaires: [], asOf: at.slice(0, 10) }, RISK_POLICY);
  const names = new Map<string, string>();
  for (const d of current) for (const s of d.analysis.subserviceOrganizations ?? []) if (!names.has(organizationKey(s.name))) names.set(organizationKey(s.name), s.name.trim());
  return { subservices: [...names.values()].sort(), fourthParties: dependenciesFrom(current) };
}

/**
 * Lines of a page of vendors written before fourth parties were kept (no `fourthParties` or no data classification):
 * completed from the vendor and the evidence of the assessment they show, each put over the version read (a line the
 * live code changed meanwhile is left to it), with its membership items. Returns how many were completed.
 */
async function completeFourthParties(client: DynamoDBDocumentClient, tableName: string, vendors: Vendor[], at: string): Promise<number> {
  if (vendors.length === 0) return 0;
  const found = await batchGet(client, tableName, vendors.map((v) => keys.registerLine(v.id)));
  let completed = 0;
  for (const vendor of vendors) {
    const item = found.get(`${keys.registerLine(vendor.id).pk}|REGISTER`);
    if (!item) continue;
    const line = readRegisterLine(item);
    if (line.fourthParties !== undefined && line.dataClassification !== undefined) continue;
    const fourthParties = line.fourthParties ?? (line.assessmentId ? (await evidenceOf(client, tableName, line.assessmentId, vendor, at)).fourthParties : []);
    const next: RegisterLine = { ...line, dataClassification: vendor.dataClassification, fourthParties };
    try {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: registerLineItem(next, (item.version as number) + 1),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': item.version as number },
        }),
      );
    } catch (error) {
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      continue;
    }
    for (const member of membersOf(next)) await client.send(new PutCommand({ TableName: tableName, Item: fourthPartyMemberItem(member) }));
    completed++;
  }
  return completed;
}

/** The providers' counters summed afresh from every register line; counters of providers no line names are deleted. */
export async function rebuildFourthPartyCounts(client: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const members: FourthPartyMember[] = [];
  const view = keys.registerView('name');
  let start: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ TableName: tableName, IndexName: view.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': view.pkName }, ExpressionAttributeValues: { ':pk': view.pk }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) members.push(...membersOf(readRegisterLine(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  const counts = countsFromMembers(members);
  const listed = keys.fourthPartiesBy('name');
  const existing = new Map<string, number>();
  start = undefined;
  do {
    const page: QueryCommandOutput = await client.send(new QueryCommand({ TableName: tableName, IndexName: listed.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': listed.pkName }, ExpressionAttributeValues: { ':pk': listed.pk }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) existing.set(readFourthPartyCounts(item).providerKey, item.version as number);
    start = page.LastEvaluatedKey;
  } while (start);
  for (const [providerKey] of existing) if (!counts.has(providerKey)) await client.send(new DeleteCommand({ TableName: tableName, Key: keys.fourthPartyCounts(providerKey) }));
  // Overwritten whatever they held: the lines are the source.
  for (const [providerKey, c] of counts) await client.send(new PutCommand({ TableName: tableName, Item: fourthPartyCountsItem(c, (existing.get(providerKey) ?? 0) + 1) }));
  return counts.size;
}

async function batchGet(client: DynamoDBDocumentClient, tableName: string, itemKeys: { pk: string; sk: string }[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>();
  for (let i = 0; i < itemKeys.length; i += 100) {
    let request: Record<string, { Keys: Item[] }> | undefined = { [tableName]: { Keys: itemKeys.slice(i, i + 100) } };
    while (request && Object.keys(request).length) {
      const out = await client.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[tableName] ?? []) found.set(`${String(item.pk)}|${String(item.sk)}`, item);
      request = out.UnprocessedKeys as typeof request;
    }
  }
  return found;
}

/** The count shards summed afresh from every register line (what makes a re-run correct whatever stopped before). */
export async function rebuildCounts(client: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const shards: RegisterCounts[] = Array.from({ length: REGISTER_COUNT_SHARDS }, emptyCounts);
  const view = keys.registerView('name');
  let start: Item | undefined;
  do {
    const page = await client.send(new QueryCommand({ TableName: tableName, IndexName: view.index, KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': view.pkName }, ExpressionAttributeValues: { ':pk': view.pk }, ...(start ? { ExclusiveStartKey: start } : {}) }));
    for (const item of page.Items ?? []) {
      const line = readRegisterLine(item);
      const shard = countsShardOf(line.vendorId);
      shards[shard] = countsAfter(shards[shard]!, null, line);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  // Overwritten whatever they held: the lines are the source. Month items of review dates no longer in use go.
  const months = new Set(shards.flatMap((c) => Object.keys(c.byNextReview).map((date) => date.slice(0, 7))));
  const stale = await client.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' }, ExpressionAttributeValues: { ':pk': keys.registerCountsShard(0).pk, ':sk': 'SHARD#' }, ProjectionExpression: 'pk, sk, version' }));
  const versions = new Map((stale.Items ?? []).map((item) => [String(item.sk), item.version as number]));
  for (const [shard, counts] of shards.entries()) {
    for (const item of countsItems(shard, counts, 0)) {
      item.version = (versions.get(String(item.sk)) ?? 0) + 1;
      versions.delete(String(item.sk));
      await client.send(new PutCommand({ TableName: tableName, Item: item }));
    }
  }
  for (const sk of versions.keys()) if (sk.includes('#DAYS#') && !months.has(sk.slice(-7))) await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: keys.registerCountsShard(0).pk, sk } }));
  return shards.length;
}
