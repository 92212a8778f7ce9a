/**
 * Child process of the crash test: `node --import tsx atomic-write-child.ts <data folder> <scenario> <crash point>`
 * opens the store, arms the crash point and performs the scenario's write; SIGKILLed when the point is reached.
 * If it survives, it prints the crash points it passed (JSON) and exits 0.
 */
import { armCrashPoint, crashPointsSeen } from '../../shared/adapters/local/crash-points.ts';
import { openStore, perform, type Scenario } from './atomic-write-scenarios.ts';

const [path, scenario, crashAt] = process.argv.slice(2);
const store = await openStore(path!);
armCrashPoint(crashAt!);
await perform(store, scenario as Scenario);
armCrashPoint(null);
await store.close();
process.stdout.write(JSON.stringify(crashPointsSeen()));
