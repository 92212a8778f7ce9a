import { describe, expect, it } from 'vitest';
import { applyTaskTransition, cuecTasksFrom, type CuecTask } from '../../shared/domain/risk/cuec-tasks.ts';
import { bridgeLetter, doc, soc2Type2 } from './risk-fixtures.ts';

const AT = '2026-11-23T09:00:00.000Z';
const CUECS = ['User entities are responsible for reviewing user access quarterly.', 'User entities are responsible for notifying Acme of terminated users.'];

describe('cuecTasksFrom', () => {
  it('turns each CUEC of a report into an open task owned by us', () => {
    const tasks = cuecTasksFrom([doc('r', soc2Type2({ complementaryUserEntityControls: CUECS }))]);
    expect(tasks).toEqual([
      { id: 'doc:r:cuec:1', documentId: 'r', fileName: 'r.pdf', text: CUECS[0], page: 18, owner: 'us', assignee: null, status: 'open', history: [] },
      { id: 'doc:r:cuec:2', documentId: 'r', fileName: 'r.pdf', text: CUECS[1], page: 18, owner: 'us', assignee: null, status: 'open', history: [] },
    ]);
  });

  it('takes a control repeated across reports once, from the newest report', () => {
    const old = doc('old', soc2Type2({ period: { start: '2024-10-01', end: '2025-09-30' }, complementaryUserEntityControls: [CUECS[0]!.toUpperCase()] }));
    const current = doc('new', soc2Type2({ complementaryUserEntityControls: CUECS }));
    expect(cuecTasksFrom([old, current]).map((t) => t.id)).toEqual(['doc:new:cuec:1', 'doc:new:cuec:2']);
  });

  it('ignores documents that are not SOC reports', () => {
    expect(cuecTasksFrom([doc('b', { ...bridgeLetter('2026-10-01', '2026-11-01'), complementaryUserEntityControls: CUECS })])).toEqual([]);
  });
});

describe('applyTaskTransition', () => {
  const task = (): CuecTask => cuecTasksFrom([doc('r', soc2Type2({ complementaryUserEntityControls: CUECS }))])[0]!;

  it('assigns a task to a person without changing its status', () => {
    const next = applyTaskTransition(task(), { kind: 'assign', assignee: 'iam-team@example.com' }, AT, 'sec@example.com');
    expect(next).toMatchObject({ assignee: 'iam-team@example.com', status: 'open' });
  });

  it('completes a started task with a note and records the history', () => {
    const started = applyTaskTransition(task(), { kind: 'start' }, AT, 'sec@example.com');
    const done = applyTaskTransition(started, { kind: 'complete', note: 'Q4 access review done.' }, AT, 'sec@example.com');
    expect(done.history.map((e) => [e.from, e.to])).toEqual([
      ['open', 'in-progress'],
      ['in-progress', 'done'],
    ]);
  });

  it('requires a justification to mark a task not applicable', () => {
    expect(() => applyTaskTransition(task(), { kind: 'mark-not-applicable', justification: '' }, AT, 'sec@example.com')).toThrow(expect.objectContaining({ name: 'ValidationError', code: 'cuec-task-note-required' }));
  });

  it('refuses to start a task that is done', () => {
    const done = applyTaskTransition(task(), { kind: 'complete', note: 'done' }, AT, 'sec@example.com');
    expect(() => applyTaskTransition(done, { kind: 'start' }, AT, 'sec@example.com')).toThrow(expect.objectContaining({ name: 'ConflictError', code: 'cuec-task-transition-not-allowed' }));
  });

  it('reopens a done task with a reason', () => {
    const done = applyTaskTransition(task(), { kind: 'complete', note: 'done' }, AT, 'sec@example.com');
    expect(applyTaskTransition(done, { kind: 'reopen', reason: 'Next quarter.' }, AT, 'sec@example.com').status).toBe('open');
  });
});
