/**
 * The one storage adapter: DynamoDB through lib-dynamodb. In AWS it talks to DynamoDB; on a laptop and in
 * tests to dynalite. Key strings come from keys.ts; SDK errors are translated to domain errors here.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent, AuditTarget } from '../../domain/audit.ts';
import { ConcurrentUpdateError, ConflictError } from '../../domain/errors.ts';
import { VENDOR_SCHEMA_VERSION, vendorRecordSchema, type Vendor } from '../../domain/vendor.ts';
import type { AuditLog, AuditVerification } from '../../ports/audit-log.ts';
import { DynamoAuditVerifier } from './dynamo-audit-verifier.ts';
import type { Page } from '../../ports/page.ts';
import type { VendorListFilter, VendorRepository } from '../../ports/vendor-repository.ts';
import type { WriteOp } from './atomic-writer.ts';
import { DynamoTable, type Item } from './dynamo-table.ts';
import { keys } from './keys.ts';
import { registerOps } from './register-items.ts';
import { readStored } from './stored-item.ts';
import { lineWithVendor } from '../../domain/risk-register.ts';


export class DynamoRepository extends DynamoTable implements VendorRepository, AuditLog {

  async insertVendor(vendor: Vendor, event: AuditEvent): Promise<void> {
    const claim = keys.vendorNameClaim(vendor.name);
    await this.atomically(
      [
        { kind: 'put', item: { ...claim, vendorId: vendor.id }, condition: { expression: 'attribute_not_exists(pk)' } },
        { kind: 'put', item: this.vendorItem(vendor), condition: { expression: 'attribute_not_exists(pk)' } },
      ],
      (index) => (index === 0 ? new ConflictError(`A vendor named "${vendor.name}" already exists`, 'vendor-exists') : new ConflictError(`Vendor ${vendor.id} already exists`)),
      event,
      () => this.registerLineOf(vendor),
    );
  }

  async getVendor(id: string): Promise<Vendor | null> {
    const out = await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.vendor(id), ConsistentRead: true })));
    return out.Item ? readVendor(out.Item) : null;
  }

  async listVendors(filter: VendorListFilter, page: { limit: number; cursor?: string }): Promise<Page<Vendor>> {
    const index = filter.tier ? keys.vendorsByTier(filter.tier) : keys.vendorsByName();
    const names: Record<string, string> = { '#pk': index.pkName };
    const values: Record<string, unknown> = { ':pk': index.pk };
    let keyCondition = '#pk = :pk';
    if (filter.namePrefix) {
      names['#sk'] = index.skName;
      values[':prefix'] = keys.vendorNamePrefix(filter.namePrefix);
      keyCondition += ' AND begins_with(#sk, :prefix)';
    }
    const filters: string[] = [];
    if (filter.criticality || filter.status) names['#data'] = 'data';
    if (filter.criticality) {
      names['#criticality'] = 'criticality';
      values[':criticality'] = filter.criticality;
      filters.push('#data.#criticality = :criticality');
    }
    if (filter.status) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      filters.push('#data.#status = :status');
    }
    const items = await this.queryPage(
      {
        TableName: this.tableName,
        IndexName: index.index,
        KeyConditionExpression: keyCondition,
        ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      page,
      ['pk', 'sk', index.pkName, index.skName],
    );
    return { items: items.items.map(readVendor), nextCursor: items.nextCursor };
  }

  async replaceVendor(vendor: Vendor, expectedVersion: number, event: AuditEvent): Promise<void> {
    const current = await this.getVendor(vendor.id);
    if (!current || current.version !== expectedVersion) throw new ConcurrentUpdateError('Vendor', vendor.id);
    const ops: WriteOp[] = [];
    const renamed = keys.vendorNameClaim(current.name).pk !== keys.vendorNameClaim(vendor.name).pk;
    if (renamed) {
      ops.push({ kind: 'put', item: { ...keys.vendorNameClaim(vendor.name), vendorId: vendor.id }, condition: { expression: 'attribute_not_exists(pk)' } });
      ops.push({ kind: 'delete', key: keys.vendorNameClaim(current.name), condition: { expression: 'vendorId = :id', values: { ':id': vendor.id } } });
    }
    ops.push({
      kind: 'put',
      item: this.vendorItem(vendor),
      condition: { expression: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expectedVersion } },
    });
    await this.atomically(
      ops,
      (index) => (renamed && index === 0 ? new ConflictError(`A vendor named "${vendor.name}" already exists`, 'vendor-exists') : new ConcurrentUpdateError('Vendor', vendor.id)),
      event,
      () => this.registerLineOf(vendor),
    );
  }

  async listAuditEventsFor(target: AuditTarget, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>> {
    const result = await this.queryPage(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditEventsFor(target).pk },
      },
      page,
      ['pk', 'sk'],
    );
    return { items: result.items.map((i) => i.data as AuditEvent), nextCursor: result.nextCursor };
  }

  /** Every chain from its first event, read only (DynamoAuditVerifier holds the checks). */
  async verifyAuditTrail(): Promise<AuditVerification> {
    return new DynamoAuditVerifier(this.client, this.tableName, this.writer).verifyAuditTrail();
  }

  /** The vendor's register line (and counts) as the vendor now is, written with the vendor. */
  private registerLineOf(vendor: Vendor): Promise<WriteOp[]> {
    return registerOps(this.client, this.tableName, vendor.id, (line) => lineWithVendor(line, vendor, vendor.updatedAt));
  }

  private vendorItem(vendor: Vendor): Item {
    return vendorItem(vendor);
  }

}

/** The stored vendor (also what the bulk loader writes). */
export function vendorItem(vendor: Vendor): Item {
  return {
    ...keys.vendor(vendor.id),
    ...keys.vendorIndexes({ id: vendor.id, name: vendor.name, tier: vendor.inherentRisk.tier }),
    entity: 'vendor',
    schemaVersion: VENDOR_SCHEMA_VERSION,
    version: vendor.version,
    data: vendor,
  };
}

/** A stored vendor, checked against its schema (`stored-item-invalid` when it does not match). */
export const readVendor = (item: Item): Vendor => readStored(item, 'vendor', vendorRecordSchema, VENDOR_SCHEMA_VERSION, 1);
