/** Concurrent writers: nothing is lost, conflicts are retried or reported, never silently dropped. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { safestAnswers } from '../support/answers.ts';
import { portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let portal: string;
let assessmentId: string;

beforeAll(async () => {
  stack = await startTestStack();
  assessmentId = await startAssessmentFor(stack, await registerVendor(stack, { criticality: 'low', dataClassification: 'internal' }));
  portal = await portalTokenFromOutbox(stack, 'security@acme.example');
});
afterAll(async () => stack.dispose());

describe('concurrent draft saves on one assessment', () => {
  it('keeps every answer whose save succeeded, and reports the others as conflicts', async () => {
    const answers = Object.entries(safestAnswers(getTemplate('saas-lite')!));
    const saves = Array.from({ length: 50 }, (_, i) => answers[i % answers.length]!);
    const results = await Promise.all(
      saves.map(([questionId, entry]) => stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'saas-lite', answers: { [questionId]: entry } } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409), statuses.join(',')).toBe(true);
    const saved = new Set(saves.filter((_, i) => statuses[i] === 200).map(([q]) => q));
    const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as { answersVersion: number; questionnaires: { template: { id: string }; answers: Record<string, unknown> }[] };
    const stored = view.questionnaires.find((q) => q.template.id === 'saas-lite')!.answers;
    for (const q of saved) expect(stored, q).toHaveProperty(q);
    expect(view.answersVersion).toBe(1 + statuses.filter((s) => s === 200).length);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(45);
  });

  it('records one audit event per successful save', async () => {
    const view = (await (await stack.call('GET', `/api/assessments/${assessmentId}`, { token: await stack.tokenFor('security') })).json()) as { timeline: { action: string }[]; answers: { version: number } };
    expect(view.timeline.filter((e) => e.action === 'answers.saved').length).toBe(view.answers.version - 1);
  });

  it('refuses a save over newer answers when If-Match is stale', async () => {
    const res = await stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId: 'saas-lite', answers: {} }, headers: { 'if-match': '"1"' } });
    expect(res.status).toBe(412);
    expect(await res.json()).toMatchObject({ code: 'version-mismatch' });
  });
});
