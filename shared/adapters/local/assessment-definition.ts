/**
 * The assessment state machine for the local runner: the ASL JSON generated from the CDK construct
 * (infra/generated/assessment-state-machine.asl.json, written by `npm run generate:state-machine`; a stack test fails
 * when it is stale). Importing the file instead of synthesizing the stack keeps aws-cdk-lib out of `npm start`, and
 * importing rather than reading it at run time puts it inside the built server (dist/), which has no path back to infra/.
 */
import definition from '../../../infra/generated/assessment-state-machine.asl.json' with { type: 'json' };

/** The state machine definition as an object (a fresh copy each call). */
export function loadAssessmentDefinition(): Record<string, unknown> {
  return structuredClone(definition);
}
