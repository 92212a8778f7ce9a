/**
 * Complementary user entity controls (CUECs): controls a vendor's report says *we* must operate. Each becomes one of
 * our own tasks ("controls we must run for this vendor"), owned by us, with a status and a history.
 */
import { ConflictError, ValidationError } from '../errors.ts';
import type { RiskDocument } from './evidence-assessment.ts';

export const CUEC_TASK_STATUSES = ['open', 'in-progress', 'done', 'not-applicable'] as const;
export type CuecTaskStatus = (typeof CUEC_TASK_STATUSES)[number];

export type CuecTaskAction =
  | { kind: 'assign'; assignee: string }
  | { kind: 'start' }
  | { kind: 'complete'; note: string }
  | { kind: 'mark-not-applicable'; justification: string }
  | { kind: 'reopen'; reason: string };

export interface CuecTaskEvent {
  at: string;
  actor: string;
  action: CuecTaskAction['kind'];
  from: CuecTaskStatus;
  to: CuecTaskStatus;
  note: string | null;
}

export interface CuecTask {
  /** "doc:<documentId>:cuec:<n>", n the 1-based position of the control in the report's list. */
  id: string;
  documentId: string;
  fileName: string;
  /** The control as the report words it. */
  text: string;
  /** Page where the report's CUEC list starts, when the analyzer recorded it. */
  page: number | null;
  owner: 'us';
  /** The person in our organization who runs the control, once assigned. */
  assignee: string | null;
  status: CuecTaskStatus;
  history: CuecTaskEvent[];
}

const CUEC_KINDS = new Set(['soc2', 'soc3', 'soc1']);
const normalized = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * Our tasks from the CUECs of every SOC report among the documents. A control worded the same way (ignoring case
 * and punctuation) in several reports becomes one task, taken from the report with the latest period end.
 */
export function cuecTasksFrom(documents: RiskDocument[]): CuecTask[] {
  const reports = documents
    .filter((d) => CUEC_KINDS.has(d.analysis.documentKind))
    .map((d, order) => ({ d, order, end: d.analysis.period?.end ?? d.analysis.reportDate ?? '' }))
    .sort((a, b) => b.end.localeCompare(a.end) || a.order - b.order);
  const seen = new Set<string>();
  const tasks: CuecTask[] = [];
  for (const { d } of reports) {
    const page = d.analysis.evidence.complementaryUserEntityControls?.page ?? null;
    d.analysis.complementaryUserEntityControls.forEach((raw, i) => {
      const text = raw.replace(/\s+/g, ' ').trim();
      const key = normalized(text);
      if (key.length === 0 || seen.has(key)) return;
      seen.add(key);
      tasks.push({ id: `doc:${d.documentId}:cuec:${i + 1}`, documentId: d.documentId, fileName: d.fileName, text, page, owner: 'us', assignee: null, status: 'open', history: [] });
    });
  }
  return tasks;
}

const ALLOWED_FROM: Record<CuecTaskAction['kind'], readonly CuecTaskStatus[]> = {
  assign: ['open', 'in-progress'],
  start: ['open'],
  complete: ['open', 'in-progress'],
  'mark-not-applicable': ['open', 'in-progress'],
  reopen: ['done', 'not-applicable'],
};

function required(value: string, path: string, what: string): string {
  const text = value.trim();
  if (text.length === 0) throw new ValidationError(`${what} is required`, [{ path, message: 'must not be empty' }], 'cuec-task-note-required');
  return text;
}

/**
 * Moves a CUEC task: assign (keeps the status), start (open → in-progress), complete (→ done, with a note),
 * mark-not-applicable (→ not-applicable, with a justification), reopen (done | not-applicable → open, with a reason).
 * Throws ValidationError (cuec-task-note-required) or ConflictError (cuec-task-transition-not-allowed).
 */
export function applyTaskTransition(task: CuecTask, action: CuecTaskAction, at: string, actor: string): CuecTask {
  if (!ALLOWED_FROM[action.kind].includes(task.status)) {
    throw new ConflictError(`A CUEC task that is ${task.status} cannot be moved with "${action.kind}" (allowed from: ${ALLOWED_FROM[action.kind].join(', ')})`, 'cuec-task-transition-not-allowed');
  }
  let to: CuecTaskStatus = task.status;
  let assignee = task.assignee;
  let note: string | null = null;
  switch (action.kind) {
    case 'assign':
      assignee = required(action.assignee, 'assignee', 'An assignee');
      note = `assigned to ${assignee}`;
      break;
    case 'start':
      to = 'in-progress';
      break;
    case 'complete':
      to = 'done';
      note = required(action.note, 'note', 'A note on how the control was performed');
      break;
    case 'mark-not-applicable':
      to = 'not-applicable';
      note = required(action.justification, 'justification', 'A justification');
      break;
    case 'reopen':
      to = 'open';
      note = required(action.reason, 'reason', 'A reason for reopening the task');
      break;
  }
  return { ...task, status: to, assignee, history: [...task.history, { at, actor, action: action.kind, from: task.status, to, note }] };
}
