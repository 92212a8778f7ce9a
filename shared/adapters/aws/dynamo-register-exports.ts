/** Register export jobs: one item per job, each change written with its audit event; read back against their schema. */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit.ts';
import { ConcurrentUpdateError, ConflictError } from '../../domain/errors.ts';
import { registerExportJobSchema, type RegisterExportJob } from '../../domain/register-export.ts';
import type { RegisterExportJobs } from '../../ports/risk-register.ts';
import { DynamoTable, type Item } from './dynamo-table.ts';
import { keys } from './keys.ts';
import { readStored } from './stored-item.ts';

const ENTITY = 'register-export';
const SCHEMA_VERSION = 1;

export class DynamoRegisterExports extends DynamoTable implements RegisterExportJobs {
  async insertExport(job: RegisterExportJob, event: AuditEvent): Promise<void> {
    await this.atomically([{ kind: 'put', item: exportItem(job), condition: { expression: 'attribute_not_exists(pk)' } }], () => new ConflictError(`Export ${job.id} already exists`), event);
  }

  async getExport(id: string): Promise<RegisterExportJob | null> {
    const item = (await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.registerExport(id), ConsistentRead: true })))).Item;
    return item ? readStored(item, ENTITY, registerExportJobSchema, SCHEMA_VERSION) : null;
  }

  async replaceExport(job: RegisterExportJob, expectedVersion: number, event: AuditEvent): Promise<void> {
    await this.atomically(
      [{ kind: 'put', item: exportItem(job), condition: { expression: '#version = :expected', names: { '#version': 'version' }, values: { ':expected': expectedVersion } } }],
      () => new ConcurrentUpdateError('Register export', job.id),
      event,
    );
  }
}

const exportItem = (job: RegisterExportJob): Item => ({ ...keys.registerExport(job.id), entity: ENTITY, schemaVersion: SCHEMA_VERSION, version: job.version, data: job });
