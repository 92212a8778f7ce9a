/**
 * The assessment state machine for the local runner, read from the ASL JSON generated from the CDK construct
 * (infra/generated/assessment-state-machine.asl.json, written by `npm run generate:state-machine`; a stack test fails
 * when it is stale). Reading the file instead of synthesizing the stack keeps aws-cdk-lib out of `npm start`.
 */
import { readFileSync } from 'node:fs';

const DEFINITION_FILE = new URL('../../../infra/generated/assessment-state-machine.asl.json', import.meta.url);

/** The state machine definition as an object (a fresh copy each call). */
export function loadAssessmentDefinition(): Record<string, unknown> {
  return JSON.parse(readFileSync(DEFINITION_FILE, 'utf8')) as Record<string, unknown>;
}
