/**
 * Lambda entry for one-off maintenance of a deployed stack, invoked by an operator (`aws lambda invoke`), never by
 * the product: `{ "task": "migrate-register" }` runs the backfill that `npx trustgate migrate` runs locally (the risk
 * register, its counts, the sparse status indexes and the sweep's review schedules of a table written before issue
 * 15; docs/deployment.md). It checkpoints after every page and stops a minute before the Lambda's 15-minute limit with
 * `finished: false`: invoke it again until it answers `finished: true`. Safe to run again at any time.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LambdaContext } from 'hono/aws-lambda';
import { backfillRegister, type BackfillReport } from '../shared/adapters/aws/register-backfill.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { SERVICE_NAMES } from '../shared/composition/operational-metrics.ts';
import { ValidationError } from '../shared/domain/errors.ts';

const logger = new Logger({ serviceName: SERVICE_NAMES.maintenance });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });

export const MAINTENANCE_TASKS = ['migrate-register'] as const;
/** Time kept back for the last page and the answer. */
const RESERVE_MS = 60_000;

export async function handler(event: unknown, context: LambdaContext): Promise<BackfillReport> {
  logger.addContext(context);
  const task = (event as { task?: unknown } | null)?.task;
  if (task !== 'migrate-register') {
    throw new ValidationError(`Unknown maintenance task ${JSON.stringify(task)}; invoke with {"task": "migrate-register"}`, [{ path: 'task', message: `one of ${MAINTENANCE_TASKS.join(', ')}` }]);
  }
  const report = await backfillRegister(client, config.tableName, () => new Date(), { shouldStop: () => context.getRemainingTimeInMillis() < RESERVE_MS });
  logger.info(report.finished ? 'Register migration finished' : 'Register migration stopped at its time budget: invoke again', { ...report });
  return report;
}
