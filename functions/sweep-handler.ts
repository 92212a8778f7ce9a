/** Lambda entry for the daily sweep (EventBridge Scheduler): reassessments that fall due, evidence going stale. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { LambdaContext } from 'hono/aws-lambda';
import { runDailySweep } from '../shared/app/sweep.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';

const service = 'trustgate-sweep';
const logger = new Logger({ serviceName: service });
const metrics = new Metrics({ namespace: 'trustgate', serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config);

export const handler = async (_event: unknown, context: LambdaContext) => {
  logger.addContext(context);
  const report = await runDailySweep(deps);
  logger.info('Daily sweep done', { vendorsChecked: report.vendorsChecked, reassessments: report.reassessmentsStarted.length, notices: report.noticesSent.length });
  metrics.addMetric('ReassessmentsStarted', MetricUnit.Count, report.reassessmentsStarted.length);
  metrics.addMetric('EvidenceNotices', MetricUnit.Count, report.noticesSent.length);
  metrics.publishStoredMetrics();
  return report;
};
