import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 150_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: a single worker on a 2-core machine. Most test time here
    // is waiting (servers, dynalite, pdf.js workers, Chromium), so one worker per core halves the wall time.
    maxWorkers: Math.max(2, availableParallelism()),
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/support/global-build.ts'],
  },
});
