/** Lambda entry for the daily sweep (EventBridge Scheduler, or an admin's request): due reassessments, evidence going stale. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { LambdaContext } from 'hono/aws-lambda';
import { runDailySweep } from '../shared/app/sweep.ts';
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

export const handler = traceHandler(tracer, async (_event: unknown, context: LambdaContext) => {
  logger.addContext(context);
  const report = await runDailySweep(deps);
  logger.info('Daily sweep done', { vendorsChecked: report.vendorsChecked, reassessments: report.reassessmentsStarted.length, notices: report.noticesSent.length });
  metrics.addMetric('ReassessmentsStarted', MetricUnit.Count, report.reassessmentsStarted.length);
  metrics.addMetric('EvidenceNotices', MetricUnit.Count, report.noticesSent.length);
  // Published last, after the work: the 26-hour alarm reads its absence as "the sweep did not run".
  metrics.addMetric(OPERATIONAL_METRICS.sweepCompleted.name, MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
  return report;
});
