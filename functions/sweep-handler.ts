/** Lambda entry for the daily sweep (EventBridge Scheduler): reassessments that fall due, evidence going stale. */
import { runDailySweep } from '../shared/app/sweep.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config);

export const handler = () => runDailySweep(deps);
