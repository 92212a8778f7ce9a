/**
 * Writes infra/generated/assessment-state-machine.asl.json: the assessment state machine as CDK synthesizes it (the
 * one source is the construct), resolved to plain ASL for the local runner, so that `npm start` does not load the
 * CDK. Run: npm run generate:state-machine. A test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderAssessmentDefinitionJson } from '../infra/local-definition.ts';

const target = fileURLToPath(new URL('../infra/generated/assessment-state-machine.asl.json', import.meta.url));
writeFileSync(target, renderAssessmentDefinitionJson());
console.log(`wrote ${target}`);
