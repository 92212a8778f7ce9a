/**
 * Background jobs (docs/adr/0017): in AWS the API records a queued job and hands it to the job runner (a Step
 * Functions execution named after the job, here against a Step Functions endpoint on loopback speaking AWS JSON 1.0,
 * through the real SDK client and the adapter); the jobs function then runs it by kind and id. A refused hand-over
 * records the job as failed and answers 503, instead of leaving it queued for ever.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfnBackgroundJobs } from '../../shared/adapters/aws/sfn-background-jobs.ts';
import { backgroundJobOf, runBackgroundJob } from '../../shared/app/background-jobs.ts';
import type { AppDeps } from '../../shared/app/deps.ts';
import { createApp } from '../../shared/http/app.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:trustgate-job-runner';
let stack: TestStack;
let server: Server;
let endpoint: string;
const received: { target: string; body: Record<string, string> }[] = [];
let answerWith: (body: Record<string, string>) => { status: number; body: unknown } = () => ({ status: 200, body: {} });

beforeAll(async () => {
  stack = await startTestStack();
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += String(chunk)));
    req.on('end', () => {
      const body = JSON.parse(text || '{}') as Record<string, string>;
      received.push({ target: String(req.headers['x-amz-target']), body });
      const answer = answerWith(body);
      res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.dispose();
});

const started = (name: string) => ({ status: 200, body: { executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:${name}`, startDate: Date.now() / 1000 } });
/** The stack as the API Lambda composes it in AWS: jobs handed to the job runner. */
const awsLike = (): { app: ReturnType<typeof createApp>['app']; deps: AppDeps } => {
  const deps: AppDeps = { ...stack.deps, jobs: new SfnBackgroundJobs(new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }), ARN) };
  return { app: createApp(deps, { error: () => {} }).app, deps };
};
const post = async (app: ReturnType<typeof createApp>['app'], path: string, role: 'admin' | 'security', body: unknown) =>
  app.request(path, { method: 'POST', headers: { authorization: `Bearer ${await stack.tokenFor(role)}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('background jobs in AWS', () => {
  it('hands a requested export to the job runner, once, named after the job; the jobs function then runs it', async () => {
    received.length = 0;
    answerWith = (body) => started(body.name!);
    const { app, deps } = awsLike();
    const res = await post(app, '/api/risk-register/exports', 'security', {});
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    expect(received).toHaveLength(1);
    expect(received[0]!.target).toBe('AWSStepFunctions.StartExecution');
    expect(received[0]!.body).toMatchObject({ stateMachineArn: ARN, name: `register-export-${id}` });
    const event = JSON.parse(received[0]!.body.input!) as unknown;
    expect(event).toEqual({ kind: 'register-export', id });
    // Nothing ran in the API's process: the job waits for the jobs function.
    expect((await deps.registerExports.getExport(id))!.status).toBe('queued');
    // The jobs function's work, on the event the execution carries:
    expect(await runBackgroundJob(deps, backgroundJobOf(event))).toEqual({ kind: 'register-export', id, status: 'succeeded' });
    // A second delivery leaves it as it is.
    expect(await runBackgroundJob(deps, backgroundJobOf(event))).toEqual({ kind: 'register-export', id, status: 'succeeded' });
  });

  it('treats a second hand-over of the same job as done (the execution already exists)', async () => {
    answerWith = () => ({ status: 400, body: { __type: 'ExecutionAlreadyExists', message: 'exists' } });
    await expect(new SfnBackgroundJobs(new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }), ARN).dispatch({ kind: 'audit-verification', id: 'j1' })).resolves.toBeUndefined();
  });

  it('records the job as failed and answers 503 workflow-unavailable when the hand-over is refused', async () => {
    answerWith = () => ({ status: 400, body: { __type: 'StateMachineDoesNotExist', message: 'no such state machine' } });
    const { app, deps } = awsLike();
    const res = await post(app, '/api/audit/verifications', 'admin', { mode: 'incremental' });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('workflow-unavailable');
    const name = received.at(-1)!.body.name!;
    const id = name.replace(/^audit-verification-/, '');
    const job = await deps.auditVerifications.getJob(id);
    expect(job).toMatchObject({ status: 'failed', error: expect.stringContaining('could not be started') });
    const trail = (await deps.auditLog.listAuditEventsFor({ type: 'audit-verification', id }, { limit: 10 })).items.map((e) => e.action);
    expect(trail).toEqual(['audit-verification.requested', 'audit-verification.finished']);
  });

  it('refuses an event that is not a job, naming the kinds', () => {
    for (const event of [null, {}, { kind: 'drop-table', id: 'x' }, { kind: 'register-export' }, { kind: 'register-export', id: 'x', extra: 1 }]) {
      expect(() => backgroundJobOf(event), JSON.stringify(event)).toThrow(/audit-verification, register-export/);
    }
  });
});
