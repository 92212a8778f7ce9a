/**
 * The answer sheet is one DynamoDB item (400 KB at most). A questionnaire filled to its text limits does not fit, so
 * the sheet is capped: the largest legal sheet is stored and read back whole on the real local store (dynalite,
 * with the write-ahead intent that holds the sheet twice), and a save past the cap is refused with its own code,
 * changing nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { MAX_ANSWER_SHEET_BYTES } from '../../shared/domain/questionnaire/answers.ts';
import type { AnswerEntry } from '../../shared/domain/questionnaire/index.ts';
import { safestAnswers } from '../support/answers.ts';
import { portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let portal: string;
let templateId: string;
let questionIds: string[];

type View = { questionnaires: { template: { id: string }; answers: Record<string, AnswerEntry> }[]; answersVersion: number };
const view = async () => (await (await stack.call('GET', '/api/portal/assessment', { token: portal })).json()) as View;
const save = (answers: Record<string, AnswerEntry | null>) => stack.call('PUT', '/api/portal/answers', { token: portal, body: { templateId, answers } });
/** Text that does not compress (the worst case for the local store's gzipped intent): 4000 random base64 characters. */
const randomNote = (length = 4000) => randomBytes(length).toString('base64').slice(0, length);

beforeAll(async () => {
  stack = await startTestStack();
  await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'big@vendor-big.example', criticality: 'critical', dataClassification: 'restricted' }));
  portal = await portalTokenFromOutbox(stack, 'big@vendor-big.example');
  // The questionnaire with the most questions: the most room for notes.
  const largest = (await view()).questionnaires.map((q) => getTemplate(q.template.id)!).sort((a, b) => Object.keys(safestAnswers(b)).length - Object.keys(safestAnswers(a)).length)[0]!;
  templateId = largest.id;
  questionIds = Object.keys(safestAnswers(largest));
});
afterAll(async () => stack?.dispose());

/** Every question answered, with both notes at their 4000-character limit, saved in request-sized batches until the cap refuses one. */
async function fillUntilRefused(): Promise<{ saved: Record<string, AnswerEntry>; refused: Record<string, AnswerEntry>; body: { code: string; errors?: { message: string }[] } }> {
  const base = safestAnswers(getTemplate(templateId)!);
  const saved: Record<string, AnswerEntry> = {};
  for (let i = 0; i < questionIds.length; i += 10) {
    const batch = Object.fromEntries(questionIds.slice(i, i + 10).map((id) => [id, { ...base[id]!, comment: randomNote(), compensatingControl: randomNote() }]));
    const res = await save(batch);
    if (res.status !== 200) return { saved, refused: batch, body: (await res.json()) as never };
    Object.assign(saved, batch);
  }
  throw new Error(`${questionIds.length} questions at their note limits fitted in one sheet: the test needs a questionnaire that does not`);
}

describe('answer sheet size', () => {
  it('refuses a save that takes the sheet past the cap with answer-sheet-too-large, and stores nothing of it', async () => {
    const before = await view();
    const { saved, refused, body } = await fillUntilRefused();
    expect(body.code).toBe('answer-sheet-too-large');
    expect(body.errors![0]!.message).toMatch(new RegExp(`at most ${MAX_ANSWER_SHEET_BYTES} bytes$`));
    const after = await view();
    const stored = after.questionnaires.find((q) => q.template.id === templateId)!.answers;
    expect(stored).toEqual(saved);
    for (const id of Object.keys(refused)) expect(stored[id], id).toBeUndefined();
    expect(after.answersVersion).toBe(before.answersVersion + Math.ceil(Object.keys(saved).length / 10));
  });

  it('stores the largest legal sheet (exactly at the cap, incompressible text) and reads it back whole', async () => {
    // The refusal says how large the sheet would have been: shorten the refused batch's notes by the excess (ASCII:
    // one character is one byte) to land exactly on the cap.
    const { refused, body } = await fillUntilRefused();
    let excess = Number(/would take (\d+) bytes/.exec(body.errors![0]!.message)![1]) - MAX_ANSWER_SHEET_BYTES;
    const trimmed: Record<string, AnswerEntry> = {};
    for (const [id, entry] of Object.entries(refused).reverse()) {
      const cut = (note: string) => {
        const by = Math.min(excess, note.length - 1);
        excess -= by;
        return note.slice(0, note.length - by);
      };
      trimmed[id] = { ...entry, compensatingControl: cut(entry.compensatingControl!), comment: cut(entry.comment!) };
    }
    expect(excess).toBe(0);
    const lastId = Object.keys(refused).at(-1)!;
    const res = await save(trimmed);
    expect(res.status, await res.clone().text()).toBe(200);
    const stored = (await view()).questionnaires.find((q) => q.template.id === templateId)!.answers;
    for (const id of Object.keys(trimmed)) expect(stored[id], id).toEqual(trimmed[id]);
    // One character more is one byte past the cap.
    const over = await save({ [lastId]: { ...trimmed[lastId]!, compensatingControl: `${trimmed[lastId]!.compensatingControl!}x` } });
    expect(over.status).toBe(422);
    expect(((await over.json()) as { errors: { message: string }[] }).errors[0]!.message).toContain(`would take ${MAX_ANSWER_SHEET_BYTES + 1} bytes`);
  });
});
