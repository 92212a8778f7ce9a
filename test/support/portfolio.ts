/**
 * A decided portfolio seeded straight through the repositories (no HTTP, no workflow): each vendor registered, its
 * assessment started and approved with a next review date, as the workflow's Finalize step leaves it. Also a view of
 * the store that counts what is read, for the tests and benchmarks of the sweep.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CompensatingAtomicWriter } from '../../shared/adapters/aws/atomic-writer.ts';
import { DynamoAssessmentRepository } from '../../shared/adapters/aws/dynamo-assessment-repository.ts';
import { DynamoRepository } from '../../shared/adapters/aws/dynamo-repository.ts';
import { DynamoSweepSchedule } from '../../shared/adapters/aws/dynamo-sweep-schedule.ts';
import { DynamoBulkLoader, type PortfolioEntry } from '../../shared/adapters/aws/dynamo-bulk-loader.ts';
import { scalePortfolioEntry } from '../../scripts/scale-portfolio.ts';
import type { AppDeps } from '../../shared/app/deps.ts';
import { newAssessment } from '../../shared/domain/assessment.ts';
import { auditEvent } from '../../shared/domain/audit.ts';
import { newVendor, vendorIntakeSchema } from '../../shared/domain/vendor.ts';
import type { Clock } from '../../shared/ports/clock.ts';

let seeded = 0;

/** Seeds `count` approved vendors; `nextReviewDate(i)` is vendor i's review date. Answers the vendor ids in order. */
export async function seedDecidedVendors(
  deps: Pick<AppDeps, 'vendors' | 'assessments'>,
  options: { count: number; decidedAt: string; nextReviewDate: (i: number) => string; concurrency?: number; prefix?: string },
): Promise<string[]> {
  const ids: string[] = [];
  const prefix = options.prefix ?? `seed${++seeded}-${Math.random().toString(36).slice(2, 8)}`;
  let next = 0;
  const at = options.decidedAt;
  const event = (type: 'vendor' | 'assessment', id: string, action: string, targetVersion: number) =>
    auditEvent({ id: `${action}-${id}`, at, actor: 'seed', role: 'system', action, target: { type, id }, summary: 'seeded', targetVersion });
  const one = async (i: number) => {
    const vendorId = `${prefix}-v${String(i).padStart(6, '0')}`;
    const vendor = { ...newVendor(vendorIntakeSchema.parse({ name: `Seeded ${prefix} ${i}`, website: 'https://seeded.example', contactEmail: 'security@seeded.example', criticality: 'low', dataClassification: 'internal' }), { id: vendorId, now: at, actor: 'seed' }), status: 'active' as const };
    await deps.vendors.insertVendor(vendor, event('vendor', vendorId, 'vendor.created', 1));
    const assessmentId = `${prefix}-a${String(i).padStart(6, '0')}`;
    const started = newAssessment({
      id: assessmentId,
      vendor: { id: vendorId, name: vendor.name, contactEmail: vendor.contactEmail, tier: vendor.inherentRisk.tier },
      templates: [],
      dueDate: '2999-12-31',
      requestedBy: 'procurement@example.com',
      now: at,
    });
    await deps.assessments.insertAssessment(started, { assessmentId, answers: {}, version: 1, updatedAt: null, lockedAt: null }, event('assessment', assessmentId, 'assessment.started', 1));
    const approved = { ...started, status: 'approved' as const, nextReviewDate: options.nextReviewDate(i), version: 2, updatedAt: at };
    await deps.assessments.replaceAssessment(approved, 1, event('assessment', assessmentId, 'assessment.finalized', 2));
    ids[i] = vendorId;
  };
  const workers = Array.from({ length: Math.min(options.concurrency ?? 4, options.count) }, async () => {
    while (next < options.count) await one(next++);
  });
  await Promise.all(workers);
  return ids;
}

export interface ReadCounter {
  /** Items returned by Query and GetItem calls. */
  itemsRead: number;
  /** Partition keys of the items read. */
  partitionsRead: Set<string>;
  reset(): void;
}

/** The stack's deps with the storage ports built on a client that counts every item read. */
export function countingStorage(base: AppDeps, endpoint: string, tableName: string, clock: Clock): { deps: AppDeps; counter: ReadCounter } {
  const counter: ReadCounter = {
    itemsRead: 0,
    partitionsRead: new Set(),
    reset() {
      this.itemsRead = 0;
      this.partitionsRead.clear();
    },
  };
  const raw = new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const client = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as { Items?: Record<string, unknown>[]; Item?: Record<string, unknown> };
      const items = output.Items ?? (output.Item ? [output.Item] : []);
      counter.itemsRead += items.length;
      for (const item of items) counter.partitionsRead.add(String(item.pk));
      return result;
    },
    { step: 'initialize', name: 'countItemsRead' },
  );
  const writer = new CompensatingAtomicWriter(client, tableName, () => clock.now());
  const vendors = new DynamoRepository(client, tableName, writer);
  return {
    deps: { ...base, vendors, auditLog: vendors, assessments: new DynamoAssessmentRepository(client, tableName, writer), sweepSchedule: new DynamoSweepSchedule(client, tableName, writer) },
    counter,
  };
}

/**
 * The scale benchmark's portfolio (scripts/scale-portfolio.ts) bulk-loaded into a test stack's table, `batch` vendors a
 * load, with their counts flushed: vendor i is `v-<i padded>`, named `Scale Vendor <i padded>`. Answers the entries.
 */
export async function bulkLoadScalePortfolio(stack: { dynamoEndpoint: string; config: { tableName: string } }, options: { count: number; today: string; verifiedAt?: string; batch?: number }): Promise<PortfolioEntry[]> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const loader = new DynamoBulkLoader(client, stack.config.tableName);
  const entries = Array.from({ length: options.count }, (_, i) => scalePortfolioEntry(i, options.today));
  const batch = options.batch ?? 1000;
  for (let from = 0; from < entries.length; from += batch) await loader.load(entries.slice(from, from + batch), options.verifiedAt ? { verifiedAt: options.verifiedAt } : {});
  await loader.flushCounts();
  return entries;
}

