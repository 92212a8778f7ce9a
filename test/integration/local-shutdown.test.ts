/** Stopping `npm start` while its start-up sweep still runs ends cleanly (issue 13: SIGINT during start-up). */
import { afterEach, expect, it } from 'vitest';
import { startSweepTimer } from '../../shared/composition/local-sweep.ts';
import { registerVendor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack | null = null;
afterEach(async () => {
  await stack?.dispose().catch(() => undefined);
  stack = null;
});

it('waits for a sweep under way before the store closes, so the sweep never meets a closed database', async () => {
  stack = await startTestStack({ persist: true });
  await registerVendor(stack);
  // The real store, its first read slowed down: the sweep is still under way when stop is called.
  const store = stack.deps.assessments;
  const slowed = new Proxy(store, {
    get: (target, key, receiver) =>
      key === 'listAssessments'
        ? async (...args: Parameters<typeof store.listAssessments>) => {
            await new Promise((r) => setTimeout(r, 300));
            return target.listAssessments(...args);
          }
        : (Reflect.get(target, key, receiver) as unknown),
  });
  const lines: string[] = [];
  const sweep = startSweepTimer({ ...stack.deps, assessments: slowed }, 3600, (line) => lines.push(line));
  await sweep.stop();
  await stack.dispose();
  stack = null;
  // A sweep left running would meet the closed store now.
  await new Promise((r) => setTimeout(r, 600));
  expect(lines.filter((l) => l.includes('failed'))).toEqual([]);
});
