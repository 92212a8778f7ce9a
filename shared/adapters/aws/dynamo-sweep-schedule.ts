/**
 * The daily sweep's schedule in the single table: one review-schedule item per vendor on the sparse index
 * vendors-by-next-review-due, written in the same atomic write as the decision that sets the date (reviewScheduleOps),
 * and a claim item per vendor per day.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isFinal, type Assessment, type AssessmentStatus } from '../../domain/assessment.ts';
import { REVIEW_SCHEDULE_SCHEMA_VERSION, reviewScheduleSchema, scheduleFromDecision, type ReviewSchedule } from '../../domain/review-schedule.ts';
import type { Page } from '../../ports/page.ts';
import type { SweepClaim, SweepSchedule } from '../../ports/sweep-schedule.ts';
import type { WriteOp } from './atomic-writer.ts';
import { crashPoint } from '../local/crash-points.ts';
import { DynamoTable, type Item } from './dynamo-table.ts';
import { keys } from './keys.ts';
import { readStored } from './stored-item.ts';
import { readAssessment } from './assessment-items.ts';

/** A sweep claim is kept a week: long enough for any re-run of its day. */
const CLAIM_TTL_SECONDS = 7 * 24 * 3600;

const isConditionFailure = (error: unknown) => (error as { name?: string }).name === 'ConditionalCheckFailedException';

/** A stored schedule, checked (schedules written before they carried a version read as version 1). */
const readReviewSchedule = (item: Item): ReviewSchedule => readStored(item, 'review-schedule', reviewScheduleSchema, REVIEW_SCHEDULE_SCHEMA_VERSION, 1);

export function reviewScheduleItem(schedule: ReviewSchedule): Item {
  return { ...keys.reviewSchedule(schedule.vendorId), ...keys.reviewScheduleIndexes(schedule), entity: 'review-schedule', schemaVersion: REVIEW_SCHEDULE_SCHEMA_VERSION, data: schedule };
}

/**
 * What the write that finalizes `assessment` does to its vendor's review schedule: a decided review date replaces the
 * schedule, a rejection removes it (no review is scheduled), anything else leaves it alone.
 */
export function reviewScheduleOps(assessment: Assessment): WriteOp[] {
  if (assessment.status === 'rejected') return [{ kind: 'delete', key: keys.reviewSchedule(assessment.vendorId) }];
  if ((assessment.status === 'approved' || assessment.status === 'approved-with-conditions') && assessment.nextReviewDate) {
    const schedule = scheduleFromDecision({ vendorId: assessment.vendorId, assessmentId: assessment.id, nextReviewDate: assessment.nextReviewDate, decidedOn: assessment.updatedAt.slice(0, 10) });
    return [{ kind: 'put', item: reviewScheduleItem(schedule) }];
  }
  return [];
}

/** The sparse-index attributes of an open assessment (none once it is final, so a full put removes them). */
export function openAssessmentDueIndexes(a: Assessment): Item {
  return isFinal(a.status) ? {} : keys.openAssessmentDueIndexes(a);
}

export class DynamoSweepSchedule extends DynamoTable implements SweepSchedule {
  async listSchedulesDueBy(day: string, page: { limit: number; cursor?: string }): Promise<Page<ReviewSchedule>> {
    const index = keys.vendorsByNextReviewDue();
    const result = await this.queryPage(
      {
        TableName: this.tableName,
        IndexName: index.index,
        KeyConditionExpression: '#pk = :pk AND #sk <= :through',
        ExpressionAttributeNames: { '#pk': index.pkName, '#sk': index.skName },
        ExpressionAttributeValues: { ':pk': index.pk, ':through': keys.dueThrough(day) },
      },
      page,
      ['pk', 'sk', index.pkName, index.skName],
    );
    return { items: result.items.map(readReviewSchedule), nextCursor: result.nextCursor };
  }

  async listOpenAssessmentsDueBy(status: AssessmentStatus, day: string | null, page: { limit: number; cursor?: string }): Promise<Page<Assessment>> {
    const index = keys.openAssessmentsByDueDate(status);
    const result = await this.queryPage(
      {
        TableName: this.tableName,
        IndexName: index.index,
        KeyConditionExpression: day === null ? '#pk = :pk' : '#pk = :pk AND #sk <= :through',
        ExpressionAttributeNames: day === null ? { '#pk': index.pkName } : { '#pk': index.pkName, '#sk': index.skName },
        ExpressionAttributeValues: day === null ? { ':pk': index.pk } : { ':pk': index.pk, ':through': keys.dueThrough(day) },
      },
      page,
      ['pk', 'sk', index.pkName, index.skName],
    );
    return { items: result.items.map(readAssessment), nextCursor: result.nextCursor };
  }

  async getSchedule(vendorId: string): Promise<ReviewSchedule | null> {
    const out = await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.reviewSchedule(vendorId), ConsistentRead: true })));
    return out.Item ? readReviewSchedule(out.Item) : null;
  }

  async moveWatchDay(schedule: ReviewSchedule, watchFrom: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: reviewScheduleItem({ ...schedule, watchFrom }),
          ConditionExpression: '#data.#assessmentId = :assessmentId AND #data.#watchFrom = :watchFrom AND #data.#next = :next',
          ExpressionAttributeNames: { '#data': 'data', '#assessmentId': 'assessmentId', '#watchFrom': 'watchFrom', '#next': 'nextReviewDate' },
          ExpressionAttributeValues: { ':assessmentId': schedule.assessmentId, ':watchFrom': schedule.watchFrom, ':next': schedule.nextReviewDate },
        }),
      );
      crashPoint('sweep:watch-moved');
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      return this.call(() => Promise.reject(error));
    }
  }

  async claimVendorSweep(claim: { vendorId: string; day: string; runId: string; at: string; leaseSeconds: number }): Promise<SweepClaim> {
    const key = keys.vendorSweep(claim.vendorId, claim.day);
    const item = { ...key, entity: 'vendor-sweep', runId: claim.runId, claimedAt: claim.at, finishedAt: null, expiresAtEpoch: Math.floor(Date.parse(claim.at) / 1000) + CLAIM_TTL_SECONDS };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
      crashPoint('sweep:vendor-claimed');
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) return this.call(() => Promise.reject(error));
    }
    const staleBefore = new Date(Date.parse(claim.at) - claim.leaseSeconds * 1000).toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'finishedAt = :null AND runId <> :run AND claimedAt < :staleBefore',
          ExpressionAttributeValues: { ':null': null, ':run': claim.runId, ':staleBefore': staleBefore },
        }),
      );
      crashPoint('sweep:vendor-claimed');
      return 'taken-over';
    } catch (error) {
      if (!isConditionFailure(error)) return this.call(() => Promise.reject(error));
    }
    const current = (await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })))).Item;
    return current && current.finishedAt !== null && current.finishedAt !== undefined ? 'done' : 'busy';
  }

  async finishVendorSweep(claim: { vendorId: string; day: string; runId: string; at: string }): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.vendorSweep(claim.vendorId, claim.day),
          UpdateExpression: 'SET finishedAt = :at',
          ConditionExpression: 'runId = :run',
          ExpressionAttributeValues: { ':at': claim.at, ':run': claim.runId },
        }),
      );
    } catch (error) {
      // Taken over by another run meanwhile (this one outlived its lease): that run finishes it.
      if (!isConditionFailure(error)) await this.call(() => Promise.reject(error));
    }
  }
}
