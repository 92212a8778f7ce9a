/**
 * What each function may do to the table: the DynamoDB actions its code paths reach (functions/ → shared/app →
 * shared/adapters/aws), and for the analyzer, which parses untrusted PDFs, the partitions it may touch at all.
 * TransactWriteItems (the atomic writer) is authorized per item, as PutItem/DeleteItem; no function scans, and
 * UpdateItem is used by the idempotency store only, which only the API's routes use.
 */
import { keys } from '../shared/adapters/aws/keys.ts';

/** DynamoDB item actions, as IAM names them (without the `dynamodb:` prefix). */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem';

export interface TableAccess {
  actions: readonly TableAction[];
  /** Queries the global secondary indexes (lists by name, tier, date; pending tasks; audit heads). */
  indexes: boolean;
  /** `dynamodb:LeadingKeys` patterns: the partition keys the function may read and write, nothing else. */
  leadingKeys?: readonly string[];
}

// Patterns built from the key builders themselves, so that a change of key design changes the grant with it.
const anyId = '*';
const assessmentTarget = { type: 'assessment', id: anyId } as const;

/**
 * The analyzer reads one document (and, when it is gone, its assessment) and replaces the document together with the
 * assessment's audit event and chain head: three partitions, get and put, nothing else. Without Query, BatchGetItem
 * or Scan every request names its partition key, so the ForAllValues condition cannot pass on an empty key set.
 */
export const ANALYZER_LEADING_KEYS = [keys.assessment(anyId).pk, keys.auditEvent(assessmentTarget, 0, '1970-01-01', anyId).pk, keys.auditHead(assessmentTarget).pk] as const;

export const TABLE_ACCESS = {
  /** Every use case behind the routes: the idempotency store updates, cancels delete pending tasks, lists query. */
  api: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'], indexes: true },
  /** Steps read and replace assessments, answer sheets and risk records, revoke tokens (index query), clear pending tasks. */
  workflowSteps: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'DeleteItem'], indexes: true },
  /** Lists vendors and assessments (indexes), inserts reassessments, records notices; a failed start withdraws (delete). */
  sweep: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'DeleteItem'], indexes: true },
  analyzer: { actions: ['GetItem', 'PutItem'], indexes: false, leadingKeys: ANALYZER_LEADING_KEYS },
  /** Background jobs: audit verification (chains by day on gsi1, checkpoints, the job) and register exports (register views, the job). */
  jobs: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'DeleteItem'], indexes: true },
  /** The one-off register migration (register-backfill.ts): lists vendors and assessments, reads and puts items, drops stale count items. */
  maintenance: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'DeleteItem'], indexes: true },
} as const satisfies Record<string, TableAccess>;
