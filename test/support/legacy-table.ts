/**
 * A local data folder as the code before issue 15 left it: the table with only gsi1 and gsi2, vendors, the old
 * per-vendor risk summary (`VENDOR#<id>/RISK`), and assessments without the sparse status attributes. Written raw,
 * exactly in the old item shapes, so that the migration is tested against what really exists in the field.
 */
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';
import { keys } from '../../shared/adapters/aws/keys.ts';
import { createTableInput } from '../../shared/adapters/aws/table-design.ts';
import { newAssessment, type Assessment } from '../../shared/domain/assessment.ts';
import type { VendorRiskSummary } from '../../shared/domain/risk-record.ts';
import { newVendor, vendorIntakeSchema, type Vendor } from '../../shared/domain/vendor.ts';
import { sampleIntake } from './test-stack.ts';

export interface LegacyData {
  vendors: Vendor[];
  scored: { vendor: Vendor; summary: VendorRiskSummary };
  open: Assessment;
  approved: Assessment;
}

const OLD_INDEXES = ['gsi1', 'gsi2'];

export async function writeLegacyTable(dbPath: string, tableName: string, vendorCount: number): Promise<LegacyData> {
  const server = dynalite({ createTableMs: 0, path: dbPath });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    const design = createTableInput(tableName);
    const oldAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);
    await client.send(
      new CreateTableCommand({
        ...design,
        AttributeDefinitions: design.AttributeDefinitions.filter((a) => oldAttributes.has(a.AttributeName)),
        GlobalSecondaryIndexes: design.GlobalSecondaryIndexes.filter((g) => OLD_INDEXES.includes(g.IndexName)),
      }),
    );
    while ((await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus !== 'ACTIVE') await new Promise((r) => setTimeout(r, 5));
    const doc = DynamoDBDocumentClient.from(client);
    const now = '2026-11-01T10:00:00.000Z';
    const vendors = Array.from({ length: vendorCount }, (_, i) =>
      newVendor(vendorIntakeSchema.parse(sampleIntake({ name: `Legacy Vendor ${String(i).padStart(4, '0')}`, ...(i === 0 ? { criticality: 'critical', dataClassification: 'restricted', systemAccess: 'privileged' } : {}) })), { id: `legacy-${i}`, now, actor: 'procurement@example.com' }),
    );
    const items: Record<string, unknown>[] = vendors.flatMap((v) => [
      { ...keys.vendor(v.id), ...keys.vendorIndexes({ id: v.id, name: v.name, tier: v.inherentRisk.tier }), entity: 'vendor', version: v.version, data: v },
      { ...keys.vendorNameClaim(v.name), vendorId: v.id },
    ]);
    const ref = { id: 'baseline-security', version: '1.0.0' };
    const assessmentFor = (v: Vendor, id: string) => newAssessment({ id, vendor: { id: v.id, name: v.name, contactEmail: v.contactEmail, tier: v.inherentRisk.tier }, templates: [ref], dueDate: '2026-12-31', requestedBy: 'procurement@example.com', now });
    const approved: Assessment = { ...assessmentFor(vendors[0]!, 'legacy-a0'), status: 'approved', nextReviewDate: '2026-11-15' };
    const open: Assessment = { ...assessmentFor(vendors[1]!, 'legacy-a1'), status: 'awaiting-review' };
    // The old assessment item: gsi1 and gsi2 only.
    const oldAssessmentItem = (a: Assessment) => ({
      ...keys.assessment(a.id),
      gsi1pk: 'ASSESSMENTS',
      gsi1sk: `${a.createdAt}#${a.id}`,
      gsi2pk: `VENDOR#${a.vendorId}#ASSESSMENTS`,
      gsi2sk: `${a.createdAt}#${a.id}`,
      entity: 'assessment',
      version: a.version,
      data: a,
    });
    items.push(oldAssessmentItem(approved), oldAssessmentItem(open));
    const summary: VendorRiskSummary = {
      vendorId: vendors[0]!.id,
      assessmentId: approved.id,
      assessmentStatus: 'approved',
      score: 71,
      computedRating: 'high',
      rating: 'high',
      overridden: false,
      openFindings: 2,
      highestOpenSeverity: 'high',
      nextReviewDate: '2026-11-15',
      policyVersion: '2026-11',
      updatedAt: now,
    };
    items.push({ ...keys.vendorRiskSummary(summary.vendorId), entity: 'vendor-risk', data: summary });
    for (let i = 0; i < items.length; i += 25) {
      let request: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> | undefined = { [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) };
      while (request && Object.keys(request).length) request = (await doc.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems as typeof request;
    }
    return { vendors, scored: { vendor: vendors[0]!, summary }, open, approved };
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
