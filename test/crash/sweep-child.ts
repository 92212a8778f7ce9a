/**
 * Child process of the sweep crash test: `node --import tsx sweep-child.ts <data folder> <clock offset ms> <crash point>`
 * opens the persisted local stack with its clock moved by the offset, arms the crash point and runs the daily sweep;
 * SIGKILLed when the point is reached. If it survives, it prints the sweep report (JSON) and exits 0.
 */
import { armCrashPoint } from '../../shared/adapters/local/crash-points.ts';
import { runDailySweep } from '../../shared/app/sweep.ts';
import { loadConfig, type LocalConfig } from '../../shared/composition/config.ts';
import { startLocalStack } from '../../shared/composition/local-deps.ts';

const [dataDir, offset, crashAt] = process.argv.slice(2);
const offsetMs = Number(offset);
const config = loadConfig({ TRUSTGATE_DATA_DIR: dataDir! }) as LocalConfig;
const stack = await startLocalStack(config, { persist: true, clock: { now: () => new Date(Date.now() + offsetMs) } });
armCrashPoint(crashAt!);
const report = await runDailySweep(stack.deps);
armCrashPoint(null);
process.stdout.write(JSON.stringify(report));
// The reassessments' workflows wait days for the vendor: not for this process to see (the next one resumes them).
await stack.close();
process.exit(0);
