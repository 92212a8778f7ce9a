/**
 * Runs the synthesized assessment state machine in-process with aws-local-stepfunctions. Every Task is served by
 * the same handler functions the Lambdas run. Callback (`.waitForTaskToken`) tasks get a real token whose
 * resolver is kept here; the step handler persists the token in DynamoDB, as the Lambda does in AWS.
 *
 * Like Step Functions, the runner keeps a durable history: each execution's record (ExecutionStore) is rewritten
 * at every state it enters, with the state's input, before that state's task runs. A process that dies anywhere
 * (SIGKILL included) loses nothing: `resume` starts every unfinished execution again from the state it was in, and
 * the steps are idempotent on such a re-run. See docs/adr/0003-local-workflow-runner.md.
 */
import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { TrustgateError } from '../../domain/errors.ts';
import type { PendingTask } from '../../ports/assessment-repository.ts';
import { TaskNotWaitingError, type AssessmentWorkflow, type WorkflowInput } from '../../ports/assessment-workflow.ts';
import { crashPoint } from './crash-points.ts';
import type { ExecutionStore } from './execution-store.ts';


/** An error with the name Step Functions matches in Catch. */
class StepFunctionsError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type StateDefinition = Record<string, unknown> & { Type: string; Resource?: string; TimeoutSecondsPath?: string; TimeoutSeconds?: number; ItemProcessor?: { States: Record<string, StateDefinition> }; Iterator?: { States: Record<string, StateDefinition> } };
type Definition = { StartAt: string; States: Record<string, StateDefinition> } & Record<string, unknown>;

export interface LocalTaskHandlers {
  /** Runs a workflow step (the WorkflowSteps Lambda's handler). */
  step(payload: unknown): Promise<unknown>;
  /** Analyzes one document (the Analyzer Lambda's handler). */
  analyze(payload: unknown): Promise<unknown>;
}

export interface LocalWorkflowRunnerOptions {
  /** States whose tasks run on the analyzer; all other Lambda tasks run on the step handler. */
  analyzerStates: readonly string[];
  /** The durable execution history. */
  executions: ExecutionStore;
  now?: () => Date;
  onExecutionFailed?: (executionId: string, error: unknown) => void;
}

/** The execution name of an assessment's workflow: one execution per assessment, as in AWS. */
export const executionNameOf = (assessmentId: string) => `assessment-${assessmentId}`.slice(0, 80);

const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** The library's own timer for callback tasks, which this runner times itself; setTimeout caps at 2^31-1 ms. */
const LIBRARY_TIMER_SECONDS = 2_000_000;
const MAX_TIMER_MS = 2_147_483_647;

interface Waiter {
  executionId: string;
  resolve(output: unknown): void;
  reject(error: Error): void;
}

interface RunningExecution {
  abort: () => void;
  result: Promise<unknown>;
  /** The latest write of the history; a task runs only once its state's entry is durable. */
  recorded: Promise<unknown>;
  /** Settles when the history loop has taken the execution's last event. */
  history: Promise<void>;
  stopped: boolean;
}

export class LocalWorkflowRunner implements AssessmentWorkflow {
  private readonly machines = new Map<string, StateMachine>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly running = new Map<string, RunningExecution>();
  private readonly callbackTimeouts = new Map<string, { seconds?: number; path?: string }>();
  private readonly definition: Definition;
  private closed = false;

  constructor(
    definition: Record<string, unknown>,
    private readonly handlers: LocalTaskHandlers,
    private readonly options: LocalWorkflowRunnerOptions,
  ) {
    this.definition = this.prepare(structuredClone(definition) as Definition);
  }

  /**
   * Starts the assessment's execution. Like StartExecution with a name, starting it again while it runs is a no-op
   * answering the same id; an execution of that name that already ended is not started again.
   */
  async startExecution(input: WorkflowInput): Promise<string> {
    this.assertOpen();
    const name = executionNameOf(input.assessmentId);
    const now = this.now();
    const created = await this.options.executions.createExecution({ name, input, status: 'running', state: this.definition.StartAt, stateInput: input, transitions: 0, startedAt: now, updatedAt: now, cause: null });
    if (!created) {
      const existing = await this.options.executions.getExecution(name);
      if (existing?.status !== 'running') throw new TrustgateError('execution-exists', `The workflow of assessment ${input.assessmentId} ran already (${existing?.status ?? 'unknown'})`);
      if (!this.running.has(name)) this.run(name, existing.state, existing.stateInput);
      return name;
    }
    this.run(name, this.definition.StartAt, input);
    return name;
  }

  /**
   * After a restart: starts every unfinished execution again from the last state it entered, with that state's
   * input. `legacyWaits` are callback waits stored before executions were recorded (data of older versions).
   */
  async resume(legacyWaits: PendingTask[] = []): Promise<string[]> {
    this.assertOpen();
    const ids: string[] = [];
    for (const record of await this.options.executions.listRunningExecutions()) {
      if (this.running.has(record.name)) continue;
      if (!this.definition.States[record.state]) {
        await this.options.executions.finishExecution(record.name, 'failed', this.now(), `The state machine has no state ${record.state} any more`);
        continue;
      }
      ids.push(this.run(record.name, record.state, record.stateInput));
    }
    for (const task of legacyWaits) {
      const name = executionNameOf(task.assessmentId);
      if (this.running.has(name) || !this.definition.States[task.state] || task.stateInput === null || typeof task.stateInput !== 'object') continue;
      if (await this.options.executions.getExecution(name)) continue;
      const now = this.now();
      await this.options.executions.createExecution({ name, input: task.stateInput, status: 'running', state: task.state, stateInput: task.stateInput, transitions: 0, startedAt: now, updatedAt: now, cause: null });
      ids.push(this.run(name, task.state, task.stateInput));
    }
    return ids;
  }

  /**
   * Stops the assessment's execution (StopExecution): it runs no further state, its waits are dropped and its
   * record ends as stopped, so no restart resumes it. A task already running finishes on its own.
   */
  async stopExecution(assessmentId: string, cause: string): Promise<void> {
    const name = executionNameOf(assessmentId);
    const execution = this.running.get(name);
    if (execution) {
      execution.stopped = true;
      execution.abort();
      for (const [token, waiter] of this.waiters) {
        if (waiter.executionId !== name) continue;
        this.waiters.delete(token);
        waiter.reject(new StepFunctionsError('States.Aborted', cause));
      }
      await execution.recorded.catch(() => undefined);
    }
    await this.options.executions.finishExecution(name, 'stopped', this.now(), cause.slice(0, 1000));
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    const waiter = this.takeWaiter(token);
    waiter.resolve(output);
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    const waiter = this.takeWaiter(token);
    waiter.reject(new StepFunctionsError(error, cause));
  }

  /** Executions running now (for tests and shutdown). */
  get runningExecutions(): number {
    return this.running.size;
  }

  /** Waits until no execution runs, or `timeoutMs` passes. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const busy = [...this.running.keys()].some((id) => !this.isParked(id));
      if (!busy) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /**
   * Stops every execution in this process; their records stay running and are resumed at the next start. Resolves
   * once the task handlers and record writes already under way have ended (at most `graceMs`), so that the store can
   * be closed after it without a write landing on a closed database.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.closed = true;
    const pending: Promise<unknown>[] = [...this.inFlight];
    for (const entry of this.running.values()) {
      entry.abort();
      pending.push(entry.recorded, entry.history);
    }
    this.running.clear();
    this.waiters.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(pending), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
  }

  /** Task handlers running now (a task keeps running after its execution is aborted). */
  private readonly inFlight = new Set<Promise<unknown>>();
  private tracked<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    void work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    );
    return work;
  }

  private parked = new Set<string>();
  private isParked(executionId: string): boolean {
    return this.parked.has(executionId);
  }

  private takeWaiter(token: string): Waiter {
    const waiter = this.waiters.get(token);
    if (!waiter) throw new TaskNotWaitingError();
    this.waiters.delete(token);
    return waiter;
  }

  private assertOpen(): void {
    if (this.closed) throw new TrustgateError('workflow-closed', 'The local workflow runner is shut down');
  }

  private now(): string {
    return (this.options.now?.() ?? new Date()).toISOString();
  }

  /** Runs the execution `executionId` from `startAt`, recording every top-level state it enters. */
  private run(executionId: string, startAt: string, input: unknown): string {
    this.assertOpen();
    const machine = this.machineFrom(startAt);
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.overrides(executionId) as never },
      context: { Task: { Token: 'replaced-per-task' } },
      noThrowOnAbort: true,
    });
    const entry: RunningExecution = { abort: execution.abort, result: Promise.resolve(), recorded: Promise.resolve(), history: Promise.resolve(), stopped: false };
    entry.history = this.recordHistory(executionId, entry, execution.eventLogs);
    entry.result = execution.result.then(
      async (output) => {
        if (this.closed || entry.stopped || output === null) return;
        await this.finish(entry, executionId, 'succeeded', null);
      },
      async (error: unknown) => {
        if (this.closed || entry.stopped) return;
        this.options.onExecutionFailed?.(executionId, error);
        await this.finish(entry, executionId, 'failed', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      },
    );
    this.running.set(executionId, entry);
    void entry.result.finally(() => {
      this.running.delete(executionId);
      this.parked.delete(executionId);
    });
    return executionId;
  }

  /**
   * Writes each top-level StateEntered event to the execution's record, in order. The library dispatches the event
   * synchronously before it runs the state; a task waits for `recorded` (see `durably`) before it acts.
   */
  private async recordHistory(executionId: string, entry: RunningExecution, events: AsyncGenerator<{ type: string; index?: number; state?: { name: string; input: unknown } }>): Promise<void> {
    for await (const event of events) {
      if (event.type !== 'StateEntered' || event.index !== undefined || !event.state) continue;
      const { name, input } = event.state;
      entry.recorded = entry.recorded
        .catch(() => undefined)
        .then(async () => {
          if (this.closed || entry.stopped) return;
          await this.options.executions.recordStateEntered(executionId, name, input, this.now());
          crashPoint(`runner:state-entered:${name}`);
        });
      // A failed write fails the task that waits for it; when none waits (the runner is closing) it is moot.
      entry.recorded.catch(() => undefined);
    }
  }

  private async finish(entry: RunningExecution, executionId: string, status: 'succeeded' | 'failed', cause: string | null): Promise<void> {
    // The end is recorded after the last state entered (the library closes its event log when the execution ends).
    await entry.history;
    await entry.recorded.catch(() => undefined);
    if (this.closed) return;
    await this.options.executions.finishExecution(executionId, status, this.now(), cause).catch((error: unknown) => this.options.onExecutionFailed?.(executionId, error));
  }

  /** Runs a task once the entry of the state it belongs to is durable; marks the boundary after it. */
  private async durably<T>(executionId: string, stateName: string, task: () => Promise<T>): Promise<T> {
    // The StateEntered event was dispatched before this task started; one turn of the event loop lets the history
    // loop take it, and its write is then the latest in `recorded`.
    await new Promise((r) => setImmediate(r));
    const entry = this.running.get(executionId);
    if (entry) await entry.recorded;
    const output = await task();
    crashPoint(`runner:task-done:${stateName}`);
    return output;
  }

  /** A StateMachine per entry state: the same definition, entered at `startAt` (reused: validation is costly). */
  private machineFrom(startAt: string): StateMachine {
    let machine = this.machines.get(startAt);
    if (!machine) {
      machine = new StateMachine({ ...this.definition, StartAt: startAt } as never, { validationOptions: { checkArn: false, checkPaths: false } });
      this.machines.set(startAt, machine);
    }
    return machine;
  }

  private overrides(executionId: string): Record<string, (input: unknown) => Promise<unknown>> {
    const overrides: Record<string, (input: unknown) => Promise<unknown>> = {};
    const visit = (states: Record<string, StateDefinition>) => {
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Task') {
          if (state.Resource === CALLBACK_RESOURCE) overrides[name] = (input) => this.durably(executionId, name, () => this.callbackTask(executionId, name, input));
          else overrides[name] = (input) => this.durably(executionId, name, () => this.directTask(name, input));
        }
        const nested = state.ItemProcessor ?? state.Iterator;
        if (nested) visit(nested.States);
      }
    };
    visit(this.definition.States);
    return overrides;
  }

  private async directTask(stateName: string, input: unknown): Promise<unknown> {
    return this.tracked(this.options.analyzerStates.includes(stateName) ? this.handlers.analyze(input) : this.handlers.step(input));
  }

  private async callbackTask(executionId: string, stateName: string, input: unknown): Promise<unknown> {
    const params = input as { Payload?: Record<string, unknown> };
    const payload = { ...(params.Payload ?? {}) };
    const token = `local-task:${randomUUID()}`;
    payload.taskToken = token;
    const waited = new Promise<unknown>((resolve, reject) => this.waiters.set(token, { executionId, resolve, reject }));
    await this.tracked(this.handlers.step(payload));
    this.parked.add(executionId);
    const timeoutSeconds = this.timeoutOf(stateName, payload.state);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      if (timeoutSeconds === null) return;
      const deadline = Date.now() + timeoutSeconds * 1000;
      const arm = () => {
        const left = deadline - Date.now();
        if (left > 0) {
          timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
          return;
        }
        // Like Step Functions: once timed out, the token can no longer be answered.
        this.waiters.delete(token);
        reject(new StepFunctionsError('States.Timeout', `${stateName} timed out after ${timeoutSeconds} s`));
      };
      arm();
    });
    try {
      return await Promise.race([waited, timedOut]);
    } finally {
      clearTimeout(timer);
      this.parked.delete(executionId);
    }
  }

  private timeoutOf(stateName: string, stateInput: unknown): number | null {
    const spec = this.callbackTimeouts.get(stateName);
    if (!spec) return null;
    if (spec.seconds !== undefined) return spec.seconds;
    const value = spec.path!.replace(/^\$\.?/, '').split('.').filter(Boolean).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), stateInput);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 1) throw new StepFunctionsError('States.Runtime', `${stateName}: ${spec.path} is not a positive number of seconds`);
    return value;
  }

  /**
   * Callback timeouts are timed here, against the state's input as Step Functions does (the local library would
   * evaluate TimeoutSecondsPath against the task's Parameters); the library's own timer is disabled for them.
   */
  private prepare(definition: Definition): Definition {
    for (const [name, state] of Object.entries(definition.States)) {
      if (state.Type !== 'Task' || state.Resource !== CALLBACK_RESOURCE) continue;
      const spec: { seconds?: number; path?: string } = {};
      if (state.TimeoutSecondsPath) spec.path = state.TimeoutSecondsPath;
      else if (state.TimeoutSeconds) spec.seconds = state.TimeoutSeconds;
      this.callbackTimeouts.set(name, spec);
      delete state.TimeoutSecondsPath;
      state.TimeoutSeconds = LIBRARY_TIMER_SECONDS;
    }
    return definition;
  }
}
