/**
 * Runs the synthesized assessment state machine in-process with aws-local-stepfunctions. Every Task is served by
 * the same handler functions the Lambdas run. Callback (`.waitForTaskToken`) tasks get a real token whose
 * resolver is kept here; the step handler persists the token and the state's input in DynamoDB, so that after a
 * restart `resume` starts each waiting assessment again from the state it waited in.
 * See docs/adr/0003-local-workflow-runner.md.
 */
import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { TrustgateError } from '../../domain/errors.ts';
import type { PendingTask } from '../../ports/assessment-repository.ts';
import { TaskNotWaitingError, type AssessmentWorkflow, type WorkflowInput } from '../../ports/assessment-workflow.ts';


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
  onExecutionFailed?: (executionId: string, error: unknown) => void;
}

const CALLBACK_RESOURCE = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
/** The library's own timer for callback tasks, which this runner times itself; setTimeout caps at 2^31-1 ms. */
const LIBRARY_TIMER_SECONDS = 2_000_000;
const MAX_TIMER_MS = 2_147_483_647;

interface Waiter {
  resolve(output: unknown): void;
  reject(error: Error): void;
}

export class LocalWorkflowRunner implements AssessmentWorkflow {
  private readonly machines = new Map<string, StateMachine>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly running = new Map<string, { abort: () => void; result: Promise<unknown> }>();
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

  async startExecution(input: WorkflowInput): Promise<string> {
    return this.run(this.definition.StartAt, input);
  }

  /** Starts each waiting assessment again from the state it waited in (after a restart). */
  async resume(tasks: PendingTask[]): Promise<string[]> {
    const ids: string[] = [];
    for (const task of tasks) {
      if (!this.definition.States[task.state] || task.stateInput === null || typeof task.stateInput !== 'object') continue;
      ids.push(await this.run(task.state, task.stateInput));
    }
    return ids;
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

  /** Stops every execution; their waits are resumed from DynamoDB at the next start. */
  close(): void {
    this.closed = true;
    for (const { abort } of this.running.values()) abort();
    this.running.clear();
    this.waiters.clear();
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

  private run(startAt: string, input: unknown): Promise<string> {
    if (this.closed) throw new TrustgateError('workflow-closed', 'The local workflow runner is shut down');
    const executionId = `local:${randomUUID()}`;
    const machine = this.machineFrom(startAt);
    const execution = machine.run(input as never, {
      overrides: { taskResourceLocalHandlers: this.overrides(executionId) as never },
      context: { Task: { Token: 'replaced-per-task' } },
      noThrowOnAbort: true,
    });
    const result = execution.result.then(
      () => undefined,
      (error: unknown) => {
        if (!this.closed) this.options.onExecutionFailed?.(executionId, error);
      },
    );
    this.running.set(executionId, { abort: execution.abort, result });
    void result.finally(() => {
      this.running.delete(executionId);
      this.parked.delete(executionId);
    });
    return Promise.resolve(executionId);
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
          if (state.Resource === CALLBACK_RESOURCE) overrides[name] = (input) => this.callbackTask(executionId, name, input);
          else overrides[name] = (input) => this.directTask(name, input);
        }
        const nested = state.ItemProcessor ?? state.Iterator;
        if (nested) visit(nested.States);
      }
    };
    visit(this.definition.States);
    return overrides;
  }

  private async directTask(stateName: string, input: unknown): Promise<unknown> {
    return this.options.analyzerStates.includes(stateName) ? this.handlers.analyze(input) : this.handlers.step(input);
  }

  private async callbackTask(executionId: string, stateName: string, input: unknown): Promise<unknown> {
    const params = input as { Payload?: Record<string, unknown> };
    const payload = { ...(params.Payload ?? {}) };
    const token = `local-task:${randomUUID()}`;
    payload.taskToken = token;
    const waited = new Promise<unknown>((resolve, reject) => this.waiters.set(token, { resolve, reject }));
    await this.handlers.step(payload);
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
