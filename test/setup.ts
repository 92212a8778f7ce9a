import { afterAll } from 'vitest';
import { killAllChildren } from './support/processes.ts';

// The AWS SDK warns on stderr about Node 20 support; the warning is noise in test output.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

// No server or CLI child outlives its test file, whether the test passed, failed or timed out.
afterAll(() => killAllChildren());
