import { createSocket } from 'node:dgram';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_BUNDLE_BUDGET_BYTES, buildLambdaBundle, type BuiltBundle } from '../../infra/bundling/lambda-bundle.ts';
import { ENV_VARS } from '../../shared/composition/config.ts';
import { startEmbeddedDynamo, type EmbeddedDynamo } from '../../shared/composition/embedded-dynamo.ts';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { reviewScheduleItem } from '../../shared/adapters/aws/dynamo-sweep-schedule.ts';
import { startLocalSqs } from '../support/local-aws-standins.ts';
import { httpApiEvent, invokeBundle } from './invoke-bundle.ts';

const TABLE = 'trustgate-bundle-test';
let workDir: string;
let api: BuiltBundle;
let analyzer: BuiltBundle;
let maintenance: BuiltBundle;
let sweep: BuiltBundle;
let jobs: BuiltBundle;
let dynamo: EmbeddedDynamo;
let env: Record<string, string>;

beforeAll(async () => {
  // Outside the repository: the bundle must not find node_modules by walking up from its folder.
  workDir = await mkdtemp(join(tmpdir(), 'trustgate-bundles-'));
  [api, analyzer, maintenance, sweep, jobs, dynamo] = await Promise.all([
    buildLambdaBundle('functions/api-handler.ts', join(workDir, 'api')),
    buildLambdaBundle('functions/analyze-document-handler.ts', join(workDir, 'analyzer')),
    buildLambdaBundle('functions/maintenance-handler.ts', join(workDir, 'maintenance')),
    buildLambdaBundle('functions/sweep-handler.ts', join(workDir, 'sweep')),
    buildLambdaBundle('functions/job-handler.ts', join(workDir, 'jobs')),
    startEmbeddedDynamo({ tableName: TABLE }),
  ]);
  // What the stack sets (aws mode), with DynamoDB pointed at dynalite and the credentials Lambda would put in the environment.
  env = {
    NODE_NO_WARNINGS: '1',
    NODE_OPTIONS: '--enable-source-maps',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'bundle-test',
    AWS_SECRET_ACCESS_KEY: 'bundle-test',
    AWS_SESSION_TOKEN: 'bundle-test',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    [ENV_VARS.mode]: 'aws',
    [ENV_VARS.tableName]: TABLE,
    [ENV_VARS.documentsBucket]: 'trustgate-documents',
    [ENV_VARS.mailFrom]: 'trustgate@example.com',
    [ENV_VARS.publicBaseUrl]: 'https://abc123.execute-api.eu-west-1.amazonaws.com',
    [ENV_VARS.cognitoIssuer]: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_BundleTest',
    [ENV_VARS.cognitoClientId]: 'bundletestclient',
  };
});

afterAll(async () => {
  await dynamo?.close();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const inputsOf = (bundle: BuiltBundle) => Object.keys(bundle.metafile.inputs);
const sdkClients = (bundle: BuiltBundle) => [...new Set(inputsOf(bundle).map((i) => /node_modules\/@aws-sdk\/(client-[a-z0-9-]+)\//.exec(i)?.[1]).filter(Boolean))].sort();

function samplePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(14).text('Report on Controls at Acme Cloud Relevant to Security (SOC 2 Type II)');
  doc.addPage().fontSize(11).text('Section 4: Trust Services Criteria, Related Controls and Tests of Controls');
  doc.end();
  return done;
}

describe('API bundle', () => {
  it('stays within its budget and carries neither pdf-parse nor SDK clients it does not use', () => {
    expect(api.handlerBytes).toBeLessThanOrEqual(API_BUNDLE_BUDGET_BYTES);
    expect(inputsOf(api).filter((i) => /node_modules\/(pdf-parse|pdfjs-dist)\//.test(i))).toEqual([]);
    expect(sdkClients(api)).toEqual(['client-dynamodb', 'client-s3', 'client-sesv2', 'client-sfn']);
  });

  it('answers GET /health from an API Gateway HTTP API event', async () => {
    const run = await invokeBundle(api.handlerFile, 'handler', httpApiEvent('GET', '/health'), env);
    expect(run.outcome).toMatchObject({ ok: true, value: { statusCode: 200 } });
    const body = JSON.parse((run.outcome as { value: { body: string } }).value.body) as { status: string; mode: string };
    expect(body).toMatchObject({ status: 'ok', mode: 'aws' });
  });

  it('reads DynamoDB with the credentials from the environment: an unknown portal link is a 404', async () => {
    const run = await invokeBundle(api.handlerFile, 'handler', httpApiEvent('GET', '/api/portal/assessment', { authorization: `Bearer tgp_${'A'.repeat(43)}` }), env);
    expect(run.outcome).toMatchObject({ ok: true, value: { statusCode: 404 } });
  });

  it('publishes the cold-start metric through Powertools (CloudWatch embedded metric format)', async () => {
    const run = await invokeBundle(api.handlerFile, 'handler', httpApiEvent('GET', '/health'), env);
    const emf = run.stdout.split('\n').filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] } });
    expect(emf.flatMap((m) => m._aws.CloudWatchMetrics.map((c) => `${c.Namespace}/${c.Metrics.map((x) => x.Name).join(',')}`))).toContain('trustgate/ColdStart');
  });
});

describe('Analyzer bundle', () => {
  it('carries the pdf.js worker beside the handler and a JavaScript canvas stand-in, nothing native', async () => {
    const files = analyzer.files.map((f) => f.name);
    expect(files).toEqual(expect.arrayContaining(['index.mjs', 'pdf.worker.mjs', 'node_modules/@napi-rs/canvas/index.js']));
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    expect(await readdir(join(workDir, 'analyzer', 'node_modules', '@napi-rs'))).toEqual(['canvas']);
  });

  it('extracts the text of a PDF inside the bundle, without canvas warnings', async () => {
    const pdf = await samplePdf();
    const run = await invokeBundle(analyzer.handlerFile, 'textExtractor', pdf.toString('base64'), env);
    expect(run.outcome.ok).toBe(true);
    const { pages, pageCount } = (run.outcome as { value: { pages: { num: number; text: string }[]; pageCount: number } }).value;
    expect(pageCount).toBe(2);
    expect(pages[0]!.text).toContain('SOC 2 Type II');
    expect(pages[1]!.text).toContain('Tests of Controls');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Cannot (load|polyfill)|Warning/);
  });

  it('traces the handler through Powertools in its own subsegment, where the annotations land', async () => {
    // What Lambda provides with active tracing: a sampled trace header and the X-Ray daemon's address (here a UDP socket of the test).
    const daemon = createSocket('udp4');
    const packets: string[] = [];
    daemon.on('message', (message) => packets.push(message.toString('utf8')));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    try {
      const traceEnv = {
        ...env,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: dirname(analyzer.handlerFile),
        _HANDLER: 'index.handler',
        _X_AMZN_TRACE_ID: 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1',
        AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
        AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
      };
      const run = await invokeBundle(analyzer.handlerFile, 'handler', { assessmentId: 'a-traced', documentId: 'd-traced' }, traceEnv);
      expect(run.outcome).toMatchObject({ ok: false, name: 'NotFoundError' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      const segments = packets.map((p) => JSON.parse(p.slice(p.indexOf('\n') + 1)) as { name: string; annotations?: Record<string, unknown>; error?: boolean; fault?: boolean });
      const handlerSegment = segments.find((s) => s.name === '## index.handler');
      expect(handlerSegment, JSON.stringify(segments.map((s) => s.name))).toBeDefined();
      expect(handlerSegment!.annotations).toEqual({ ColdStart: true, Service: 'trustgate-analyzer', assessmentId: 'a-traced', documentId: 'd-traced' });
    } finally {
      daemon.close();
    }
  });

  it('handles a Step Functions AnalyzeDocument task: an unknown document is reported as not found', async () => {
    const run = await invokeBundle(analyzer.handlerFile, 'handler', { assessmentId: 'a-unknown', documentId: 'd-unknown' }, env);
    expect(run.outcome).toMatchObject({ ok: false, name: 'NotFoundError' });
    // Powertools writes warnings and errors to stderr, the rest (and metrics) to stdout.
    const logged = run.stderr.split('\n').filter((l) => l.startsWith('{') && l.includes('"level"')).map((l) => JSON.parse(l) as { level: string; message: string; service: string; documentId?: string });
    expect(logged).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'Document analysis failed', service: 'trustgate-analyzer', documentId: 'd-unknown' }));
  });
});

describe('Maintenance bundle', () => {
  it('refuses an unknown task, naming the one it runs', async () => {
    const run = await invokeBundle(maintenance.handlerFile, 'handler', { task: 'drop-everything' }, env);
    expect(run.outcome).toMatchObject({ ok: false, name: 'ValidationError', message: expect.stringContaining('migrate-register') });
  });

  it('runs the register migration against the table and says it finished', async () => {
    const run = await invokeBundle(maintenance.handlerFile, 'handler', { task: 'migrate-register' }, env);
    expect(run.outcome, run.stderr).toMatchObject({ ok: true, value: { finished: true, resumedFrom: null } });
    expect(sdkClients(maintenance)).toEqual(['client-dynamodb']);
  });
});

describe('Sweep bundle', () => {
  it('plans to the queue when it has one, and sweeps the batch a queue record carries', async () => {
    const sqs = await startLocalSqs();
    try {
      const today = new Date().toISOString().slice(0, 10);
      await DynamoDBDocumentClient.from(dynamo.client).send(new PutCommand({ TableName: TABLE, Item: reviewScheduleItem({ vendorId: 'v-gone', assessmentId: 'a-gone', nextReviewDate: '2027-06-01', watchFrom: today }) }));
      const planned = await invokeBundle(sweep.handlerFile, 'handler', { source: 'aws.scheduler' }, { ...env, [ENV_VARS.sweepQueueUrl]: sqs.queueUrl, AWS_ENDPOINT_URL_SQS: sqs.queueUrl.replace(/\/\d+\/.*$/, '') });
      expect(planned.outcome, planned.stderr).toMatchObject({ ok: true, value: { batches: 1, vendors: 1 } });
      expect(sqs.messages).toHaveLength(1);
      const swept = await invokeBundle(sweep.handlerFile, 'handler', { Records: [{ messageId: 'm1', body: sqs.messages[0] }, { messageId: 'm2', body: 'not json' }] }, env);
      // The vendor is gone: the batch moves its watch day on; the malformed record is reported for redelivery.
      expect(swept.outcome, swept.stderr).toMatchObject({ ok: true, value: { batchItemFailures: [{ itemIdentifier: 'm2' }] } });
      expect(sdkClients(sweep)).toEqual(['client-dynamodb', 'client-s3', 'client-sesv2', 'client-sfn', 'client-sqs']);
    } finally {
      await sqs.close();
    }
  });
});

describe('Jobs bundle', () => {
  // Running a job to its end writes with TransactWriteItems (AWS mode), which dynalite does not serve: that part is
  // tested in-process (test/integration/background-jobs.test.ts); here, the bundle's wiring and its refusals.
  it('reads the job from the table by kind and id, and refuses an event that is not a job', async () => {
    const missing = await invokeBundle(jobs.handlerFile, 'handler', { kind: 'audit-verification', id: 'no-such-job' }, env);
    expect(missing.outcome, missing.stderr.slice(0, 2000)).toMatchObject({ ok: false, name: 'NotFoundError', code: 'not-found' });
    const unknownExport = await invokeBundle(jobs.handlerFile, 'handler', { kind: 'register-export', id: 'no-such-export' }, env);
    expect(unknownExport.outcome).toMatchObject({ ok: false, name: 'NotFoundError' });
    const refused = await invokeBundle(jobs.handlerFile, 'handler', { kind: 'drop-table', id: 'x' }, env);
    expect(refused.outcome).toMatchObject({ ok: false, name: 'ValidationError', message: expect.stringContaining('register-export') });
    expect(sdkClients(jobs)).toEqual(['client-dynamodb', 'client-s3', 'client-sesv2', 'client-sfn']);
  });
});
