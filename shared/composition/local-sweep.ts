/** Locally, the daily sweep runs on a timer instead of EventBridge Scheduler: once at start, then every interval. */
import { runDailySweep } from '../app/sweep.ts';
import type { AppDeps } from '../app/deps.ts';

/** `stop` ends the timer and resolves once a sweep under way has finished, so the store can then be closed. */
export function startSweepTimer(deps: AppDeps, intervalSeconds: number, log: (line: string) => void): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = sweepOnce().finally(() => (running = null));
  };
  const sweepOnce = async () => {
    try {
      const report = await runDailySweep(deps);
      if (report.reassessmentsStarted.length || report.noticesSent.length) {
        log(`Daily sweep: ${report.reassessmentsStarted.length} reassessment(s) started, ${report.noticesSent.length} notice(s) sent`);
      }
    } catch (error) {
      log(`Daily sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  tick();
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
