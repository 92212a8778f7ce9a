/**
 * The Step Functions adapter against a Step Functions endpoint on loopback (the local runner behind the AWS JSON
 * protocol): the same lifecycle as the local workflow, through the real SDK client and the adapter's error mapping.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SfnAssessmentWorkflow } from '../../shared/adapters/aws/sfn-assessment-workflow.ts';
import { TaskNotWaitingError } from '../../shared/ports/assessment-workflow.ts';
import { answerEverything, assessmentOf, portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startLocalSfnEndpoint } from '../support/local-sfn-endpoint.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:trustgate-assessment';
let stack: TestStack;
let endpoint: Awaited<ReturnType<typeof startLocalSfnEndpoint>>;
let adapter: SfnAssessmentWorkflow;

beforeAll(async () => {
  stack = await startTestStack();
  endpoint = await startLocalSfnEndpoint(stack.workflow, ARN);
  adapter = new SfnAssessmentWorkflow(new SFNClient({ endpoint: endpoint.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 }), ARN);
  // From here on every use case talks to the workflow through the Step Functions adapter.
  stack.deps.workflow = adapter;
});
afterAll(async () => {
  await endpoint.close();
  await stack.dispose();
});

describe('SfnAssessmentWorkflow contract', () => {
  it('starts executions, resumes waits with SendTaskSuccess, and carries an assessment to review', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'sfn@vendor.example' }));
    const portal = await portalTokenFromOutbox(stack, 'sfn@vendor.example');
    await answerEverything(stack, portal);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await stack.settle();
    expect((await assessmentOf(stack, id)).assessment.status).toBe('awaiting-review');
    expect(endpoint.calls).toEqual(expect.arrayContaining(['StartExecution', 'SendTaskSuccess']));
  });

  it('maps a token Step Functions no longer waits on to TaskNotWaitingError', async () => {
    await expect(adapter.sendTaskSuccess('token-that-timed-out', { ok: true })).rejects.toBeInstanceOf(TaskNotWaitingError);
  });

  it('stops the execution with StopExecution when the assessment is cancelled', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'cancel@vendor.example' }));
    const res = await stack.call('POST', `/api/assessments/${id}/cancel`, { token: await stack.tokenFor('procurement'), body: { reason: 'No longer needed' } });
    expect(res.status).toBe(200);
    await stack.settle();
    expect(endpoint.calls).toContain('StopExecution');
    expect((await assessmentOf(stack, id)).assessment.status).toBe('cancelled');
    expect(await stack.executions.getExecution(`assessment-${id}`)).toMatchObject({ status: 'stopped', cause: 'Cancelled: No longer needed' });
  });

  it('fails waits with SendTaskFailure', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'fail@vendor.example' }));
    const waiting = await stack.deps.assessments.getPendingTask(id);
    await adapter.sendTaskFailure(waiting!.token, 'AssessmentCancelled', 'ended from outside');
    await stack.settle();
    expect(endpoint.calls).toContain('SendTaskFailure');
    expect(await stack.executions.getExecution(`assessment-${id}`)).toMatchObject({ status: 'succeeded', state: 'Cancelled' });
  });
});
