/**
 * Lambda entry for the HTTP API (API Gateway HTTP API v2 → Hono), with Powertools logs and metrics. Traces come
 * from Lambda's active tracing; the Powertools Tracer (aws-xray-sdk-core, ~95 kB) would take this bundle past its
 * 1 MB budget, so SDK-call subsegments are recorded by the workflow-step and analyzer functions.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { createApp } from '../shared/http/app.ts';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../shared/composition/operational-metrics.ts';

const service = SERVICE_NAMES.api;
const logger = new Logger({ serviceName: service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const api = handle(createApp(createAwsDeps(config), { error: (message, error) => logger.error(message, error as Error) }, config.rateLimits).app);

export const handler = async (event: LambdaEvent, context: LambdaContext) => {
  logger.addContext(context);
  metrics.captureColdStartMetric(context.functionName);
  // Hono's onError turns failures into problem responses; what escapes it is a defect worth a log line.
  return api(event, context).catch((error: unknown) => {
    logger.error('Unhandled error in the API', error as Error);
    throw error;
  });
};
