/**
 * The local runner after its process stops in the middle of a step (issue 13, item 1): every execution is recorded
 * durably at each state it enters, and the next start resumes it there, so no assessment is left stuck.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPdfTextExtractor } from '../../shared/adapters/pdf/pdf-text-extractor.ts';
import type { DocumentTextExtractor } from '../../shared/ports/document-text-extractor.ts';
import { answerEverything, assessmentOf, corpusPdf, isCleanType2, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

const CONTACT = 'security@acme.example';

/** An extractor that never answers: the process "dies" while it reads. Resolves `entered` when a read starts. */
function hangingExtractor(): { extractor: DocumentTextExtractor; entered: Promise<void> } {
  let signal!: () => void;
  const entered = new Promise<void>((resolve) => (signal = resolve));
  return {
    entered,
    extractor: {
      extractPages: () => {
        signal();
        return new Promise(() => undefined);
      },
    },
  };
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local workflow runner recovery', () => {
  it('resumes an assessment whose process stopped during the analysis, and carries it to review', async () => {
    const hanging = hangingExtractor();
    stack = await startTestStack({ persist: true, textExtractor: hanging.extractor });
    const dataDir = stack.config.dataDir;
    const id = await startAssessmentFor(stack, await registerVendor(stack));
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    await answerEverything(stack, portal);
    expect((await upload(stack, portal, await corpusPdf(isCleanType2))).status).toBe(201);
    expect((await stack.call('POST', '/api/portal/submit', { token: portal })).status).toBe(200);
    await hanging.entered;
    await stack.close();

    stack = await startTestStack({ persist: true, dataDir, textExtractor: createPdfTextExtractor() });
    await waitUntil(async () => (await assessmentOf(stack!, id)).waitingAt !== null);
    const resumed = await assessmentOf(stack, id);
    expect(resumed.assessment.status).toBe('awaiting-review');
    expect(resumed.waitingAt).toBe('AwaitSecurityReview');
    expect(resumed.documents).toHaveLength(1);
    expect(resumed.documents[0]!.analysisStatus).toBe('analyzed');
  });

  it('sends the invitation once when the process stopped after mailing it but before recording it', async () => {
    stack = await startTestStack({ persist: true });
    const dataDir = stack.config.dataDir;
    const id = await startAssessmentFor(stack, await registerVendor(stack));
    expect((await stack.outbox()).filter((m) => m.purpose === 'invite')).toHaveLength(1);
    // The Invite step's effects are all done; as if the process died before the runner recorded the next state.
    const execution = (await stack.executions.getExecution(`assessment-${id}`))!;
    expect(execution.state).toBe('AwaitVendorSubmission');
    expect(await stack.executions.recordStateEntered(execution.name, 'Invite', execution.input, new Date().toISOString())).toBe(true);
    await stack.close();

    stack = await startTestStack({ persist: true, dataDir });
    await waitUntil(async () => (await assessmentOf(stack!, id)).waitingAt === 'AwaitVendorSubmission');
    const invites = (await stack.outbox()).filter((m) => m.purpose === 'invite');
    expect(invites).toHaveLength(1);
    const portal = await portalTokenFromOutbox(stack, CONTACT);
    expect((await stack.call('GET', '/api/portal/assessment', { token: portal })).status).toBe(200);
  });
});
