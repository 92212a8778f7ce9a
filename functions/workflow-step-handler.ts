/** Lambda entry for the assessment workflow's steps (every Task but document analysis), with Powertools. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { LambdaContext } from 'hono/aws-lambda';
import { runWorkflowStep, type WorkflowStepEvent } from '../shared/app/workflow-steps.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { traceHandler } from '../shared/composition/lambda-tracing.ts';
import { METRICS_NAMESPACE, OPERATIONAL_METRICS, SERVICE_NAMES } from '../shared/composition/operational-metrics.ts';

const service = SERVICE_NAMES.workflow;
const logger = new Logger({ serviceName: service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
const tracer = new Tracer({ serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config);

export const handler = traceHandler(tracer, async (event: WorkflowStepEvent, context: LambdaContext) => {
  logger.addContext(context);
  logger.appendKeys({ step: event.step, assessmentId: event.assessmentId });
  tracer.putAnnotation('step', event.step);
  tracer.putAnnotation('assessmentId', event.assessmentId);
  metrics.captureColdStartMetric(context.functionName);
  try {
    const result = await runWorkflowStep(deps, event);
    if (event.step === 'needs-attention') metrics.addMetric(OPERATIONAL_METRICS.needsAttention.name, MetricUnit.Count, 1);
    return result;
  } catch (error) {
    // Step Functions routes on the error's name; the log keeps the rest.
    logger.warn('Workflow step failed', error as Error);
    metrics.addDimension('step', event.step).addMetric('WorkflowStepFailures', MetricUnit.Count, 1);
    throw error;
  } finally {
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    logger.resetKeys();
  }
});
