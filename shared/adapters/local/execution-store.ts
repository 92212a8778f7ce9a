/**
 * The local runner's durable execution history, in the same table as everything else: what Step Functions keeps
 * for each execution in AWS. One record per execution, rewritten at every state the execution enters with the
 * state's name and input, so that a restarted process resumes the execution from the state it was in.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '../aws/dynamo-table.ts';
import { keys } from '../aws/keys.ts';

export type ExecutionStatus = 'running' | 'succeeded' | 'failed' | 'stopped';

export interface ExecutionRecord {
  /** The execution's name, unique per state machine (as in Step Functions: `assessment-<id>`). */
  name: string;
  input: unknown;
  status: ExecutionStatus;
  /** The last top-level state entered, and its input: where a restart resumes. */
  state: string;
  stateInput: unknown;
  /** How many states it has entered so far. */
  transitions: number;
  startedAt: string;
  updatedAt: string;
  /** failed / stopped: why. */
  cause: string | null;
}

/** Where the local runner records executions. */
export interface ExecutionStore {
  /** Records a new running execution; false when an execution of that name exists already. */
  createExecution(record: ExecutionRecord): Promise<boolean>;
  getExecution(name: string): Promise<ExecutionRecord | null>;
  /** Records that a running execution entered `state` with `input`; false when it is no longer running. */
  recordStateEntered(name: string, state: string, input: unknown, at: string): Promise<boolean>;
  /** Ends a running execution; false when it had ended already. */
  finishExecution(name: string, status: Exclude<ExecutionStatus, 'running'>, at: string, cause: string | null): Promise<boolean>;
  /** Every unfinished execution, oldest first. */
  listRunningExecutions(): Promise<ExecutionRecord[]>;
}

const isConditionFailure = (error: unknown) => (error as { name?: string })?.name === 'ConditionalCheckFailedException';
const stillRunning = { ConditionExpression: '#data.#status = :running', ExpressionAttributeNames: { '#data': 'data', '#status': 'status' } };

export class DynamoExecutionStore extends DynamoTable implements ExecutionStore {
  async createExecution(record: ExecutionRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.workflowExecution(record.name), ...keys.runningExecutionIndexes(record), entity: 'workflow-execution', data: record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      return this.call(() => Promise.reject(error));
    }
  }

  async getExecution(name: string): Promise<ExecutionRecord | null> {
    const out = await this.call(() => this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.workflowExecution(name), ConsistentRead: true })));
    return (out.Item?.data as ExecutionRecord | undefined) ?? null;
  }

  async recordStateEntered(name: string, state: string, input: unknown, at: string): Promise<boolean> {
    return this.update(name, {
      UpdateExpression: 'SET #data.#state = :state, #data.#stateInput = :input, #data.#updatedAt = :at, #data.#transitions = #data.#transitions + :one',
      ExpressionAttributeNames: { ...stillRunning.ExpressionAttributeNames, '#state': 'state', '#stateInput': 'stateInput', '#updatedAt': 'updatedAt', '#transitions': 'transitions' },
      ExpressionAttributeValues: { ':running': 'running', ':state': state, ':input': input ?? null, ':at': at, ':one': 1 },
    });
  }

  async finishExecution(name: string, status: Exclude<ExecutionStatus, 'running'>, at: string, cause: string | null): Promise<boolean> {
    return this.update(name, {
      UpdateExpression: 'SET #data.#status = :status, #data.#updatedAt = :at, #data.#cause = :cause REMOVE gsi1pk, gsi1sk',
      ExpressionAttributeNames: { ...stillRunning.ExpressionAttributeNames, '#updatedAt': 'updatedAt', '#cause': 'cause' },
      ExpressionAttributeValues: { ':running': 'running', ':status': status, ':at': at, ':cause': cause },
    });
  }

  async listRunningExecutions(): Promise<ExecutionRecord[]> {
    const k = keys.runningExecutions();
    const records: ExecutionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.call(() =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: k.index,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': k.pkName },
            ExpressionAttributeValues: { ':pk': k.pk },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      records.push(...(out.Items ?? []).map((i) => i.data as ExecutionRecord));
      start = out.LastEvaluatedKey;
    } while (start);
    return records.filter((r) => r.status === 'running');
  }

  private async update(name: string, expression: { UpdateExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> }): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: keys.workflowExecution(name), ConditionExpression: stillRunning.ConditionExpression, ...expression }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      return this.call(() => Promise.reject(error));
    }
  }
}
