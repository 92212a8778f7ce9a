/** Links in mails use the configured public URL, not the address the server happens to listen on (issue 16, item 6). */
import { afterEach, expect, it } from 'vitest';
import { registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose();
  stack = null;
});

it('mails the portal link and the requester links under TRUSTGATE_PUBLIC_URL', async () => {
  stack = await startTestStack({ env: { TRUSTGATE_PUBLIC_URL: 'https://trust.example.com/tg/' } });
  await startAssessmentFor(stack, await registerVendor(stack));
  await stack.settle();
  const invite = (await stack.outbox()).find((m) => m.purpose === 'invite')!;
  expect(invite.text).toMatch(/https:\/\/trust\.example\.com\/tg\/portal\/open#token=tgp_/);
  expect(invite.text).not.toContain('localhost');
});
