/**
 * Lambda entry for the daily sweep: reassessments that fall due, evidence going stale (docs/adr/0014). Two functions
 * run it. Invoked by EventBridge Scheduler (or an admin's request), the planner sends the due list to the sweep-batches
 * queue in batches when it has one (`TRUSTGATE_SWEEP_QUEUE_URL`), else sweeps the batches itself with bounded
 * concurrency. Invoked with SQS records, the batch worker sweeps the batch each record carries and reports the failed
 * ones for redelivery (after 3 receives a batch goes to the dead-letter queue).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { LambdaContext } from 'hono/aws-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SqsSweepBatchQueue } from '../shared/adapters/aws/sqs-sweep-queue.ts';
import { planDailySweep, runDailySweep, sweepVendorBatch, type SweepBatch, type SweepReport } from '../shared/app/sweep.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { traceHandler } from '../shared/composition/lambda-tracing.ts';
import { METRICS_NAMESPACE, OPERATIONAL_METRICS, SERVICE_NAMES } from '../shared/composition/operational-metrics.ts';

const service = SERVICE_NAMES.sweep;
const logger = new Logger({ serviceName: service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
const tracer = new Tracer({ serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config);
const queue = config.sweepQueueUrl ? new SqsSweepBatchQueue(new SQSClient({}), config.sweepQueueUrl) : null;

interface BatchRecords {
  Records: { messageId: string; body: string }[];
}

const isBatchRecords = (event: unknown): event is BatchRecords => Array.isArray((event as Partial<BatchRecords> | null)?.Records);

/** Logs and publishes a sweep's figures; `completed` only for a whole run (the 26-hour alarm reads its absence). */
function publish(report: SweepReport, completed: boolean): void {
  logger.info('Sweep done', { vendorsChecked: report.vendorsChecked, reassessments: report.reassessmentsStarted.length, notices: report.noticesSent.length });
  metrics.addMetric('ReassessmentsStarted', MetricUnit.Count, report.reassessmentsStarted.length);
  metrics.addMetric('EvidenceNotices', MetricUnit.Count, report.noticesSent.length);
  // Published last, after the work: the 26-hour alarm reads its absence as "the sweep did not run".
  if (completed) metrics.addMetric(OPERATIONAL_METRICS.sweepCompleted.name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}

export const handler = traceHandler(tracer, async (event: unknown, context: LambdaContext) => {
  logger.addContext(context);
  if (!isBatchRecords(event) && queue) {
    const plan = await planDailySweep(deps, queue);
    logger.info('Sweep planned', { ...plan });
    // The run is complete once the whole due list is with the queue: the workers' failures land in the dead-letter queue.
    metrics.addMetric(OPERATIONAL_METRICS.sweepCompleted.name, MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return plan;
  }
  if (!isBatchRecords(event)) {
    const report = await runDailySweep(deps);
    publish(report, true);
    return report;
  }
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      publish(await sweepVendorBatch(deps, JSON.parse(record.body) as SweepBatch), false);
    } catch (error) {
      logger.error('Sweep batch failed', { messageId: record.messageId, error: error as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});
