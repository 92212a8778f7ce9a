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
import type { EvidenceDocument } from '../../domain/evidence.ts';
import { effectiveAnalysis } from '../../domain/evidence.ts';
import type { VendorRiskSummary } from '../../domain/risk-record.ts';
import { countsAfter, emptyCounts, lineWithRiskSummary, lineWithVendor, type RegisterCounts, type RegisterLine } from '../../domain/risk-register.ts';
import type { Vendor } from '../../domain/vendor.ts';
import { organizationKey } from '../../domain/soc2/names/canonical-names.ts';
import type { ReportAnalysis } from '../../domain/soc2/types.ts';
import { RISK_POLICY } from '../../domain/risk/risk-policy.ts';
import { countsFromMembers, currentReportDocuments, dependenciesFrom, membersOf, type FourthPartyDependency, type FourthPartyMember } from '../../domain/fourth-parties.ts';
import { fourthPartyCountsItem, fourthPartyMemberItem, readFourthPartyCounts } from './fourth-party-items.ts';
import { crashPoint } from '../local/crash-points.ts';
import { readVendor } from './dynamo-repository.ts';
import { keys } from './keys.ts';
import { countsShardItem, countsShardOf, readRegisterLine, REGISTER_COUNT_SHARDS, registerLineItem } from './register-items.ts';

type Item = Record<string, unknown>;

export interface BackfillReport {
  vendors: number;
  linesWritten: number;
  linesKept: number;
  assessmentsIndexed: number;
  countShards: number;
  /** Lines completed with their fourth parties (and the memberships written). */
  fourthPartyLines: number;
  /** Providers whose counters were rebuilt. */
  fourthParties: number;
  resumedFrom: string | null;
}

type Phase = 'lines' | 'assessments' | 'fourth-parties' | 'counts' | 'done';
interface Checkpoint {
  phase: Phase;
  cursor: Item | null;
  report: BackfillReport;
}

const CHECKPOINT_KEY = { pk: 'MIGRATION#register-v1', sk: 'CHECKPOINT' };
const PAGE = 100;

export async function backfillRegister(client: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()): Promise<BackfillReport> {
  const saved = (await client.send(new GetCommand({ TableName: tableName, Key: CHECKPOINT_KEY, ConsistentRead: true }))).Item?.data as Checkpoint | undefined;
  const resuming = saved && saved.phase !== 'done' ? saved : null;
  const state: Checkpoint = resuming ?? { phase: 'lines', cursor: null, report: { vendors: 0, linesWritten: 0, linesKept: 0, assessmentsIndexed: 0, countShards: 0, fourthPartyLines: 0, fourthParties: 0, resumedFrom: null } };
  if (resuming) state.report.resumedFrom = `${resuming.phase}${resuming.cursor ? ' (part-way)' : ''}`;
  const save = async () => {
    await client.send(new PutCommand({ TableName: tableName, Item: { ...CHECKPOINT_KEY, entity: 'migration-checkpoint', data: state } }));
    crashPoint('migrate:checkpoint-saved');
  };
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
        const a = item.data as Assessment;
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
    } while (state.cursor);
    await next('counts');
  }

  if (state.phase === 'counts') {
    state.report.countShards = await rebuildCounts(client, tableName);
    state.report.fourthParties = await rebuildFourthPartyCounts(client, tableName);
    await next('done');
  }
  return state.report;
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
  const analyzed: { documentId: string; fileName: string; analysis: ReportAnalysis }[] = [];
  for (const item of out.Items ?? []) {
    const doc = item.data as EvidenceDocument;
    const analysis = doc.analysisStatus === 'analyzed' ? effectiveAnalysis(doc) : null;
    if (analysis) analyzed.push({ documentId: doc.id, fileName: doc.fileName, analysis });
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
  for (const [shard, counts] of shards.entries()) {
    const current = (await client.send(new GetCommand({ TableName: tableName, Key: keys.registerCountsShard(shard), ConsistentRead: true }))).Item;
    // Overwritten whatever it held: the lines are the source.
    const version = current ? (current.version as number) : 0;
    await client.send(new PutCommand({ TableName: tableName, Item: countsShardItem(shard, counts, version + 1) }));
  }
  return shards.length;
}
