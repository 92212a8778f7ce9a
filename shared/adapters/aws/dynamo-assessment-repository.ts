/** Assessments, answer sheets, evidence records, portal tokens and workflow callbacks in the single table. */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { RiskRecord, VendorRiskSummary } from '../../domain/risk-record.ts';
import { ASSESSMENT_SCHEMA_VERSION, AssessmentOpenError, FINAL_STATUSES, isFinal, type Assessment } from '../../domain/assessment.ts';
import { readAssessment } from './assessment-items.ts';
import type { AuditEvent } from '../../domain/audit.ts';
import { ConcurrentUpdateError, ConflictError } from '../../domain/errors.ts';
import type { EvidenceDocument, UploadIntent } from '../../domain/evidence.ts';
import type { PortalTokenRecord } from '../../domain/portal.ts';
import type { AnswerSheet, AssessmentListFilter, AssessmentRepository, PendingTask, RegisterUpdate } from '../../ports/assessment-repository.ts';
import type { Page } from '../../ports/page.ts';
import type { WriteOp } from './atomic-writer.ts';
import { DynamoTable, type Item } from './dynamo-table.ts';
import { openAssessmentDueIndexes, reviewScheduleOps } from './dynamo-sweep-schedule.ts';
import { keys } from './keys.ts';
import { readRegisterLine, registerOps } from './register-items.ts';
import { lineWithAssessment, lineWithRiskSummary, summaryOf } from '../../domain/risk-register.ts';
import { TABLE_DESIGN } from './table-design.ts';

const versionIs = (expected: number) => ({ expression: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expected } });
const isNew = { expression: 'attribute_not_exists(pk)' };
/** Racing document inserts and deletes of one assessment each land within this many tries. */
const COUNT_ATTEMPTS = 25;

export class DynamoAssessmentRepository extends DynamoTable implements AssessmentRepository {
  async insertAssessment(assessment: Assessment, sheet: AnswerSheet, event: AuditEvent): Promise<void> {
    // The vendor's open-assessment marker, claimed first in the same write: of parallel starts exactly one lands,
    // and (on dynalite, which applies the writes one by one) a loser never shows a half-written assessment.
    const claim: WriteOp[] = isFinal(assessment.status) ? [] : [{ kind: 'put', item: this.openMarkerItem(assessment), condition: isNew }];
    const ops: WriteOp[] = [
      ...claim,
      { kind: 'put', item: this.assessmentItem(assessment), condition: isNew },
      { kind: 'put', item: this.sheetItem(sheet), condition: isNew },
    ];
    let openElsewhere = false;
    try {
      await this.atomically(ops, (index) => (index < claim.length ? ((openElsewhere = true), new ConflictError('open')) : new ConflictError(`Assessment ${assessment.id} already exists`)), event);
    } catch (error) {
      if (!openElsewhere) throw error;
      const marker = await this.getItem(keys.openAssessment(assessment.vendorId));
      throw new AssessmentOpenError(assessment.vendorId, (marker?.data as { assessmentId?: string } | undefined)?.assessmentId ?? 'unknown');
    }
  }

  async getAssessment(id: string): Promise<Assessment | null> {
    const item = await this.getItem(keys.assessment(id));
    return item ? readAssessment(item) : null;
  }

  async replaceAssessment(assessment: Assessment, expectedVersion: number, event: AuditEvent): Promise<void> {
    const put: WriteOp = { kind: 'put', item: this.assessmentItem(assessment), condition: versionIs(expectedVersion) };
    // The register line follows the assessment it shows (status, next review date) in the same write.
    const register = () => registerOps(this.client, this.tableName, assessment.vendorId, (line) => lineWithAssessment(line, assessment, assessment.updatedAt));
    if (!isFinal(assessment.status)) {
      await this.atomically([put], () => new ConcurrentUpdateError('Assessment', assessment.id), event, register);
      return;
    }
    // A final assessment releases the vendor's open-assessment marker if it still holds it.
    const release: WriteOp = {
      kind: 'delete',
      key: keys.openAssessment(assessment.vendorId),
      condition: { expression: 'attribute_not_exists(pk) OR #data.#assessmentId = :id', names: { '#data': 'data', '#assessmentId': 'assessmentId' }, values: { ':id': assessment.id } },
    };
    // The vendor's review schedule (the daily sweep's index) changes in the same write as the decision.
    const schedule = reviewScheduleOps(assessment);
    let heldByAnother = false;
    try {
      await this.atomically([put, release, ...schedule], (index) => (index === 1 ? ((heldByAnother = true), new ConflictError('marker')) : new ConcurrentUpdateError('Assessment', assessment.id)), event, register);
    } catch (error) {
      if (!heldByAnother) throw error;
      // The vendor has a newer open assessment: its marker is not ours to release.
      await this.atomically([put, ...schedule], () => new ConcurrentUpdateError('Assessment', assessment.id), event, register);
    }
  }

  async listAssessments(filter: AssessmentListFilter, page: { limit: number; cursor?: string }): Promise<Page<Assessment>> {
    // A status that is not final, or open only: the sparse index of exactly those (no filter: each page costs its own
    // size, not the number of assessments ever created). A vendor's own list is small and filtered as it is read.
    if (!filter.vendorId && filter.status && !isFinal(filter.status)) return this.listIndexNewestFirst(keys.openAssessmentsIn(filter.status), page);
    if (!filter.vendorId && !filter.status && filter.openOnly) return this.listIndexNewestFirst(keys.openAssessments(), page);
    const index = filter.vendorId ? keys.vendorAssessments(filter.vendorId) : keys.allAssessments();
    const names: Record<string, string> = { '#pk': index.pkName };
    const values: Record<string, unknown> = { ':pk': index.pk };
    const filters: string[] = [];
    if (filter.status || filter.openOnly) {
      names['#data'] = 'data';
      names['#status'] = 'status';
    }
    if (filter.status) {
      values[':status'] = filter.status;
      filters.push('#data.#status = :status');
    }
    if (filter.openOnly) {
      FINAL_STATUSES.forEach((s, i) => (values[`:final${i}`] = s));
      filters.push(`NOT (#data.#status IN (${FINAL_STATUSES.map((_, i) => `:final${i}`).join(', ')}))`);
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index.index,
      KeyConditionExpression: '#pk = :pk',
      ScanIndexForward: false,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
    };
    const result = await this.queryPage(input, page, ['pk', 'sk', index.pkName, index.skName]);
    return { items: result.items.map(readAssessment), nextCursor: result.nextCursor };
  }

  private async listIndexNewestFirst(index: { index: string; pkName: string; pk: string; skName: string }, page: { limit: number; cursor?: string }): Promise<Page<Assessment>> {
    const result = await this.queryPage(
      { TableName: this.tableName, IndexName: index.index, KeyConditionExpression: '#pk = :pk', ScanIndexForward: false, ExpressionAttributeNames: { '#pk': index.pkName }, ExpressionAttributeValues: { ':pk': index.pk } },
      page,
      ['pk', 'sk', index.pkName, index.skName],
    );
    return { items: result.items.map(readAssessment), nextCursor: result.nextCursor };
  }

  async getAnswerSheet(assessmentId: string): Promise<AnswerSheet | null> {
    return ((await this.getItem(keys.answerSheet(assessmentId)))?.data as AnswerSheet | undefined) ?? null;
  }

  async replaceAnswerSheet(sheet: AnswerSheet, expectedVersion: number, event: AuditEvent): Promise<void> {
    await this.atomically([{ kind: 'put', item: this.sheetItem(sheet), condition: versionIs(expectedVersion) }], () => new ConcurrentUpdateError('Answers of assessment', sheet.assessmentId), event);
  }

  async insertDocument(document: EvidenceDocument, event: AuditEvent, limit: { maxDocuments: number }): Promise<void> {
    // The count and the document are written together, the count on the condition that nobody changed it since it
    // was read: of racing inserts one lands, the others read the new count and try again (or stop at the limit).
    for (let attempt = 1; ; attempt++) {
      const { count, write } = await this.documentCountWrite(document.assessmentId, +1);
      if (count >= limit.maxDocuments) throw new ConflictError(`At most ${limit.maxDocuments} documents per assessment`, 'too-many-documents');
      try {
        await this.atomically([write, { kind: 'put', item: this.documentItem(document), condition: isNew }], (index) => (index === 0 ? new ConcurrentUpdateError('Document count of assessment', document.assessmentId) : new ConflictError(`Document ${document.id} already exists`, 'document-exists')), event);
        return;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= COUNT_ATTEMPTS) throw error;
      }
    }
  }

  /** The write that moves the assessment's document count by `delta`, on the condition that it is still what was read. */
  private async documentCountWrite(assessmentId: string, delta: 1 | -1): Promise<{ count: number; write: WriteOp }> {
    const key = keys.documentCount(assessmentId);
    const item = await this.getItem(key);
    // Documents stored before the count existed are counted once, by the write that creates it.
    const count = item ? (item.count as number) : (await this.listDocuments(assessmentId)).length;
    const version = item ? (item.version as number) : 0;
    const write: WriteOp = { kind: 'put', item: { ...key, entity: 'document-count', version: version + 1, count: Math.max(0, count + delta) }, condition: item ? versionIs(version) : isNew };
    return { count, write };
  }

  async insertUploadIntent(intent: UploadIntent, event: AuditEvent): Promise<void> {
    // Kept a day past its expiry (the table's TTL removes it), so a late completion gets a clear answer.
    const item = { ...keys.uploadIntent(intent.assessmentId, intent.id), entity: 'upload-intent', [TABLE_DESIGN.timeToLiveAttribute]: Math.floor(Date.parse(intent.expiresAt) / 1000) + 86_400, data: intent };
    await this.atomically([{ kind: 'put', item, condition: isNew }], () => new ConflictError(`Upload ${intent.id} already exists`), event);
  }

  async getUploadIntent(assessmentId: string, uploadId: string): Promise<UploadIntent | null> {
    return ((await this.getItem(keys.uploadIntent(assessmentId, uploadId)))?.data as UploadIntent | undefined) ?? null;
  }

  async getDocument(assessmentId: string, documentId: string): Promise<EvidenceDocument | null> {
    return ((await this.getItem(keys.document(assessmentId, documentId)))?.data as EvidenceDocument | undefined) ?? null;
  }

  async replaceDocument(document: EvidenceDocument, expectedVersion: number, event: AuditEvent): Promise<void> {
    await this.atomically([{ kind: 'put', item: this.documentItem(document), condition: versionIs(expectedVersion) }], () => new ConcurrentUpdateError('Document', document.id), event);
  }

  async removeDocument(document: EvidenceDocument, event: AuditEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const { write } = await this.documentCountWrite(document.assessmentId, -1);
      let countMoved = false;
      try {
        await this.atomically([write, { kind: 'delete', key: keys.document(document.assessmentId, document.id), condition: versionIs(document.version) }], (index) => (index === 0 ? ((countMoved = true), new ConcurrentUpdateError('Document count of assessment', document.assessmentId)) : new ConcurrentUpdateError('Document', document.id)), event);
        return;
      } catch (error) {
        if (!countMoved || attempt >= COUNT_ATTEMPTS) throw error;
      }
    }
  }

  async listDocuments(assessmentId: string): Promise<EvidenceDocument[]> {
    const k = keys.documentsOf(assessmentId);
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': k.pk, ':prefix': k.skPrefix },
      ConsistentRead: true,
    });
    return items.map((i) => i.data as EvidenceDocument).sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt) || a.id.localeCompare(b.id));
  }

  async issuePortalToken(record: PortalTokenRecord, revokePrevious: { reason: string; at: string }, event: AuditEvent): Promise<void> {
    const previous = (await this.tokensOf(record.assessmentId)).filter((t) => !t.revokedAt);
    const ops: WriteOp[] = previous.map((t) => ({ kind: 'put', item: this.tokenItem({ ...t, revokedAt: revokePrevious.at, revokedReason: revokePrevious.reason }), condition: { expression: 'attribute_exists(pk)' } }));
    ops.push({ kind: 'put', item: this.tokenItem(record), condition: isNew });
    await this.atomically(ops, () => new ConflictError('The portal link changed meanwhile; try again'), event);
  }

  async getPortalToken(tokenHash: string): Promise<PortalTokenRecord | null> {
    return ((await this.getItem(keys.portalToken(tokenHash)))?.data as PortalTokenRecord | undefined) ?? null;
  }

  async revokePortalTokens(assessmentId: string, reason: string, at: string): Promise<void> {
    for (const token of (await this.tokensOf(assessmentId)).filter((t) => !t.revokedAt)) {
      await this.call(() => this.client.send(new PutCommand({ TableName: this.tableName, Item: this.tokenItem({ ...token, revokedAt: at, revokedReason: reason }) })));
    }
  }

  async getRiskRecord(assessmentId: string): Promise<RiskRecord | null> {
    return ((await this.getItem(keys.riskRecord(assessmentId)))?.data as RiskRecord | undefined) ?? null;
  }

  async putRiskRecord(record: RiskRecord, expectedVersion: number | null, event: AuditEvent, register: RegisterUpdate): Promise<void> {
    const item = { ...keys.riskRecord(record.assessmentId), entity: 'risk-record', version: record.version, data: record };
    await this.atomically(
      [{ kind: 'put', item, condition: expectedVersion === null ? isNew : versionIs(expectedVersion) }],
      () => new ConcurrentUpdateError('Risk record of assessment', record.assessmentId),
      event,
      () => registerOps(this.client, this.tableName, record.vendorId, (line) => lineWithRiskSummary(line, register.summary, register.subservices, register.fourthParties)),
    );
  }

  async getVendorRiskSummaries(vendorIds: string[]): Promise<Map<string, VendorRiskSummary>> {
    const found = new Map<string, VendorRiskSummary>();
    const unique = [...new Set(vendorIds)];
    for (let i = 0; i < unique.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: unique.slice(i, i + 100).map((id) => keys.registerLine(id)) } };
      for (let attempt = 0; request && Object.keys(request).length && attempt < 5; attempt++) {
        const out = await this.call(() => this.client.send(new BatchGetCommand({ RequestItems: request! })));
        for (const item of out.Responses?.[this.tableName] ?? []) {
          const summary = summaryOf(readRegisterLine(item));
          if (summary) found.set(summary.vendorId, summary);
        }
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async recordNotice(notice: { vendorId: string; kind: string; on: string; at: string }): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.notice(notice), entity: 'notice', data: notice }, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
      return this.call(() => Promise.reject(error));
    }
  }

  async putPendingTask(task: PendingTask): Promise<void> {
    await this.call(() =>
      this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.pendingTask(task.assessmentId), ...keys.pendingTaskIndexes(task), entity: 'pending-task', data: task } })),
    );
  }

  async getPendingTask(assessmentId: string): Promise<PendingTask | null> {
    return ((await this.getItem(keys.pendingTask(assessmentId)))?.data as PendingTask | undefined) ?? null;
  }

  async clearPendingTask(assessmentId: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.pendingTask(assessmentId),
          ConditionExpression: '#data.#token = :token',
          ExpressionAttributeNames: { '#data': 'data', '#token': 'token' },
          ExpressionAttributeValues: { ':token': token },
        }),
      );
    } catch (error) {
      // Already replaced by a newer wait, or already cleared: nothing to do.
      if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') await this.call(() => Promise.reject(error));
    }
  }

  async listPendingTasks(): Promise<PendingTask[]> {
    return (await this.indexPartition(keys.allPendingTasks())).map((i) => i.data as PendingTask);
  }

  private async tokensOf(assessmentId: string): Promise<PortalTokenRecord[]> {
    return (await this.indexPartition(keys.portalTokensOf(assessmentId))).map((i) => i.data as PortalTokenRecord);
  }

  /** Every item of one partition of a global index. */
  private async indexPartition(k: { index: string; pkName: string; pk: string }): Promise<Item[]> {
    return this.queryAll({
      TableName: this.tableName,
      IndexName: k.index,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': k.pkName },
      ExpressionAttributeValues: { ':pk': k.pk },
    });
  }

  private async getItem(key: Record<string, string>): Promise<Item | undefined> {
    return (await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })))).Item;
  }

  private async queryAll(input: QueryCommandInput): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.call(() => this.client.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}) })));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private assessmentItem(a: Assessment): Item {
    return assessmentItem(a);
  }

  private openMarkerItem(a: Assessment): Item {
    return { ...keys.openAssessment(a.vendorId), entity: 'open-assessment', data: { vendorId: a.vendorId, assessmentId: a.id, since: a.createdAt } };
  }

  private sheetItem(sheet: AnswerSheet): Item {
    return { ...keys.answerSheet(sheet.assessmentId), entity: 'answer-sheet', version: sheet.version, data: sheet };
  }

  private documentItem(d: EvidenceDocument): Item {
    return { ...keys.document(d.assessmentId, d.id), entity: 'document', version: d.version, data: d };
  }

  private tokenItem(t: PortalTokenRecord): Item {
    return { ...keys.portalToken(t.tokenHash), ...keys.portalTokenIndexes(t), entity: 'portal-token', data: t };
  }
}

/** The stored assessment (also what the bulk loader writes). */
export function assessmentItem(a: Assessment): Item {
  return { ...keys.assessment(a.id), ...keys.assessmentIndexes(a, isFinal(a.status)), ...openAssessmentDueIndexes(a), entity: 'assessment', schemaVersion: ASSESSMENT_SCHEMA_VERSION, version: a.version, data: a };
}

