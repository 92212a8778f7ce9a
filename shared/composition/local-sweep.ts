/** Locally, the daily sweep runs on a timer instead of EventBridge Scheduler: once at start, then every interval. */
import { runDailySweep } from '../app/sweep.ts';
import type { AppDeps } from '../app/deps.ts';

export function startSweepTimer(deps: AppDeps, intervalSeconds: number, log: (line: string) => void): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const report = await runDailySweep(deps);
      if (report.reassessmentsStarted.length || report.noticesSent.length) {
        log(`Daily sweep: ${report.reassessmentsStarted.length} reassessment(s) started, ${report.noticesSent.length} notice(s) sent`);
      }
    } catch (error) {
      log(`Daily sweep failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
