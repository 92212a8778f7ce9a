/**
 * "Run the sweep now": locally the request runs it and answers what it did; in AWS it is handed to the sweep function
 * through the sweep-runner state machine (202), here against a Step Functions endpoint on loopback (AWS JSON 1.0),
 * through the real SDK client and the adapter.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfnSweepRunner } from '../../shared/adapters/aws/sfn-sweep-runner.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:trustgate-sweep-runner';
let stack: TestStack;
let server: Server;
let endpoint: string;
const received: { target: string; body: Record<string, string> }[] = [];
let answerWith: { status: number; body: unknown } = { status: 200, body: {} };

beforeAll(async () => {
  stack = await startTestStack();
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    req.on('end', () => {
      received.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(body || '{}') as Record<string, string> });
      res.writeHead(answerWith.status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(answerWith.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await stack.dispose();
});

const runSweep = async () => stack.call('POST', '/api/admin/sweep', { token: await stack.tokenFor('admin', 'admin@example.com') });

describe('admin sweep', () => {
  it('runs in the request locally and answers what it did', async () => {
    const res = await runSweep();
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ vendorsChecked: expect.any(Number), noticesSent: expect.any(Array) });
  });

  it('is handed to the sweep runner in AWS: 202 with the run id, one StartExecution naming the requester', async () => {
    let ids = 0;
    stack.deps.sweepRunner = new SfnSweepRunner(new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }), ARN, () => `run-${++ids}`);
    answerWith = { status: 200, body: { executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:sweep-run-1`, startDate: Date.now() / 1000 } };
    const res = await runSweep();
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: 'queued', runId: 'sweep-run-1' });
    expect(received).toHaveLength(1);
    expect(received[0]!.target).toBe('AWSStepFunctions.StartExecution');
    expect(received[0]!.body).toMatchObject({ stateMachineArn: ARN, name: 'sweep-run-1' });
    expect(JSON.parse(received[0]!.body.input!)).toEqual({ requestedBy: expect.any(String) });
  });

  it('answers 503 workflow-unavailable when Step Functions refuses the start', async () => {
    answerWith = { status: 400, body: { __type: 'StateMachineDoesNotExist', message: 'no such state machine' } };
    const res = await runSweep();
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('workflow-unavailable');
  });
});
