/** Lambda entry for the workflow's AnalyzeDocument task: the only bundle that carries pdf-parse. With Powertools. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { LambdaContext } from 'hono/aws-lambda';
import { createPdfTextExtractor } from '../shared/adapters/pdf/pdf-text-extractor.ts';
import { analyzeEvidence, type AnalyzeEvidenceEvent } from '../shared/app/analyze-evidence.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';
import { traceHandler } from '../shared/composition/lambda-tracing.ts';
import { METRICS_NAMESPACE, SERVICE_NAMES } from '../shared/composition/operational-metrics.ts';

const service = SERVICE_NAMES.analyzer;
const logger = new Logger({ serviceName: service });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
const tracer = new Tracer({ serviceName: service });

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
/** Exported so the bundle test can prove pdf-parse works inside the bundle. */
export const textExtractor = createPdfTextExtractor();
const deps = createAwsDeps(config, { textExtractor });

export const handler = traceHandler(tracer, async (event: AnalyzeEvidenceEvent, context: LambdaContext) => {
  logger.addContext(context);
  logger.appendKeys({ assessmentId: event.assessmentId, documentId: event.documentId });
  tracer.putAnnotation('assessmentId', event.assessmentId);
  tracer.putAnnotation('documentId', event.documentId);
  metrics.captureColdStartMetric(context.functionName);
  try {
    const result = await analyzeEvidence(deps, event);
    logger.info('Document analyzed', { status: result.status });
    metrics.addDimension('status', result.status).addMetric('DocumentsAnalyzed', MetricUnit.Count, 1);
    return result;
  } catch (error) {
    logger.warn('Document analysis failed', error as Error);
    metrics.addMetric('DocumentAnalysisFailures', MetricUnit.Count, 1);
    throw error;
  } finally {
    metrics.publishStoredMetrics();
    logger.resetKeys();
  }
});
