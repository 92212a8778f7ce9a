/** Lambda entry for the assessment workflow's steps (every Task but document analysis). */
import { runWorkflowStep, type WorkflowStepEvent } from '../shared/app/workflow-steps.ts';
import { loadConfig } from '../shared/composition/config.ts';
import { createAwsDeps } from '../shared/composition/aws-deps.ts';

const config = loadConfig();
if (config.mode !== 'aws') throw new Error('The Lambda handler runs in aws mode: set TRUSTGATE_MODE=aws');
const deps = createAwsDeps(config);

export const handler = (event: WorkflowStepEvent) => runWorkflowStep(deps, event);
