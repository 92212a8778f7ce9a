/** Lambda entry for the HTTP API (API Gateway HTTP API v2 → Hono), with Powertools logs, metrics and traces. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { createApp } from '../shared/http/app.ts';

const service = 'trustgate-api';
const logger = new Logger({ serviceName: service });
const metrics = new Metrics({ namespace: 'trustgate', serviceName: service });
// Traces every AWS SDK call (it patches https) under the Lambda's segment.
const tracer = new Tracer({ serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const api = handle(createApp(createAwsDeps(config)).app);

export const handler = async (event: LambdaEvent, context: LambdaContext) => {
  logger.addContext(context);
  tracer.annotateColdStart();
  metrics.captureColdStartMetric(context.functionName);
  // Hono's onError turns failures into problem responses; what escapes it is a defect worth a log line.
  return api(event, context).catch((error: unknown) => {
    logger.error('Unhandled error in the API', error as Error);
    throw error;
  });
};
