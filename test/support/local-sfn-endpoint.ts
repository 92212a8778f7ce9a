/**
 * A Step Functions API endpoint on loopback (AWS JSON 1.0 protocol) over the local workflow runner: the stand-in
 * against which the SFN adapter's contract is tested, since Step Functions itself cannot run here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TaskNotWaitingError, type AssessmentWorkflow, type WorkflowInput } from '../../shared/ports/assessment-workflow.ts';

export async function startLocalSfnEndpoint(runner: AssessmentWorkflow, stateMachineArn: string): Promise<{ endpoint: string; calls: string[]; close(): Promise<void> }> {
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += String(chunk)));
    // Every failure, a malformed body included, is answered inside: the promise never rejects unobserved.
    const answer = async () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
      calls.push(operation);
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(payload));
      };
      try {
        const input = JSON.parse(body || '{}') as Record<string, string>;
        if (operation === 'StartExecution') {
          if (input.stateMachineArn !== stateMachineArn) return reply(400, { __type: 'StateMachineDoesNotExist', message: 'no such state machine' });
          const id = await runner.startExecution(JSON.parse(input.input ?? '{}') as WorkflowInput);
          return reply(200, { executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name ?? id}`, startDate: Date.now() / 1000 });
        }
        if (operation === 'StopExecution') {
          const name = String(input.executionArn ?? '').split(':').at(-1) ?? '';
          await runner.stopExecution(name.replace(/^assessment-/, ''), input.cause ?? '');
          return reply(200, { stopDate: Date.now() / 1000 });
        }
        if (operation === 'SendTaskSuccess') {
          await runner.sendTaskSuccess(input.taskToken!, JSON.parse(input.output ?? 'null'));
          return reply(200, {});
        }
        if (operation === 'SendTaskFailure') {
          await runner.sendTaskFailure(input.taskToken!, input.error ?? 'Error', input.cause ?? '');
          return reply(200, {});
        }
        return reply(400, { __type: 'UnknownOperationException', message: operation });
      } catch (error) {
        if (error instanceof TaskNotWaitingError) return reply(400, { __type: 'TaskTimedOut', message: 'Task Timed Out' });
        return reply(500, { __type: 'InternalFailure', message: String(error) });
      }
    };
    req.on('end', () => void answer());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
