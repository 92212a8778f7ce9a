/**
 * The assessment state machine's definition as CDK synthesizes it, resolved to plain ASL for the local runner.
 * Lambda ARNs become placeholders: every Task is served in-process by state name.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TrustgateStack } from './trustgate-stack.ts';

type CfnValue = string | { Ref: string } | { 'Fn::GetAtt': [string, string] } | { 'Fn::Join': [string, CfnValue[]] } | Record<string, unknown>;

function resolve(value: CfnValue): string {
  if (typeof value === 'string') return value;
  if ('Fn::Join' in value) {
    const [sep, parts] = value['Fn::Join'] as [string, CfnValue[]];
    return parts.map(resolve).join(sep);
  }
  if ('Fn::GetAtt' in value) return `arn:aws:lambda:us-east-1:000000000000:function:${(value['Fn::GetAtt'] as [string, string])[0]}`;
  if ('Ref' in value) return value.Ref === 'AWS::Partition' ? 'aws' : value.Ref === 'AWS::Region' ? 'us-east-1' : value.Ref === 'AWS::AccountId' ? '000000000000' : `local-${String(value.Ref)}`;
  throw new Error(`Cannot resolve ${JSON.stringify(value)} in the state machine definition`);
}

let cached: Record<string, unknown> | null = null;

/** Synthesizes the stack (without bundling) and returns the state machine definition as an object. */
export function synthesizeAssessmentDefinition(): Record<string, unknown> {
  if (cached) return structuredClone(cached);
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new TrustgateStack(app, 'TrustgateLocal', { stage: 'local', mailFrom: 'trustgate@localhost', alarmEmail: 'ops@localhost', env: { account: '000000000000', region: 'us-east-1' } });
  // The assessment workflow's machine (the sweep runner is the other one).
  const machines = Object.entries(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'))
    .filter(([id]) => id.startsWith('AssessmentWorkflow'))
    .map(([, machine]) => machine) as { Properties: { DefinitionString: CfnValue } }[];
  if (machines.length !== 1) throw new Error(`Expected one assessment state machine in the stack, found ${machines.length}`);
  cached = JSON.parse(resolve(machines[0]!.Properties.DefinitionString)) as Record<string, unknown>;
  return structuredClone(cached);
}

/** The definition as the committed JSON file holds it (scripts/generate-state-machine.ts writes it). */
export function renderAssessmentDefinitionJson(): string {
  return `${JSON.stringify(synthesizeAssessmentDefinition(), null, 2)}\n`;
}
