import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 150_000,
    pool: 'forks',
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/support/global-build.ts'],
  },
});
