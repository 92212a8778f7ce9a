import { runBackgroundJob } from '../app/background-jobs.ts';
import type { AppDeps } from '../app/deps.ts';
import type { BackgroundJobs } from '../ports/background-jobs.ts';

/** Work that goes on after a request was answered, tracked so that a closing process can wait for it. */
export function backgroundTasks(onError: (error: unknown) => void = (error) => console.error('Background task failed:', error)): { run(task: () => Promise<void>): void; idle(): Promise<void> } {
  const running = new Set<Promise<void>>();
  return {
    run(task) {
      const done: Promise<void> = Promise.resolve()
        .then(task)
        .catch(onError)
        .finally(() => running.delete(done));
      running.add(done);
    },
    async idle() {
      while (running.size) await Promise.all([...running]);
    },
  };
}

/**
 * Jobs run in this process after the answer (local mode, and AWS without a job runner): tracked by `background`, so a
 * closing process waits for them. `deps` is read when a job runs (the dispatcher is part of the deps it needs).
 */
export function inProcessJobs(background: { run(task: () => Promise<void>): void }, deps: () => AppDeps): BackgroundJobs {
  return {
    dispatch: (job) => {
      background.run(async () => {
        await runBackgroundJob(deps(), job);
      });
      return Promise.resolve();
    },
  };
}

