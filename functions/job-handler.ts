/**
 * Lambda entry for background jobs (docs/adr/0017): the job-runner state machine invokes it asynchronously with
 * `{ "kind": "audit-verification" | "register-export", "id" }` for a job the API recorded as queued. It runs the job to
 * its end and records the outcome on the job; a job no longer queued (a retry, a second dispatch) is left as it is.
 * An invocation that throws is retried by Lambda and then lands in the jobs' dead-letter queue (alarmed).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { LambdaContext } from 'hono/aws-lambda';
import { backgroundJobOf, runBackgroundJob } from '../shared/app/background-jobs.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { traceHandler } from '../shared/composition/lambda-tracing.ts';
import { SERVICE_NAMES } from '../shared/composition/operational-metrics.ts';

const service = SERVICE_NAMES.jobs;
const logger = new Logger({ serviceName: service });
const tracer = new Tracer({ serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config);

export const handler = traceHandler(tracer, async (event: unknown, context: LambdaContext) => {
  logger.addContext(context);
  const job = backgroundJobOf(event);
  tracer.putAnnotation('job', job.kind);
  const outcome = await runBackgroundJob(deps, job);
  logger.info('Background job done', { ...outcome });
  return outcome;
});
