import { App, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrustgateStack } from '../../infra/trustgate-stack.ts';

let app: App;
let reports: Record<string, PolicyValidationPluginReport>;
beforeAll(() => {
  // Bundling skipped: the checks read the template, not the code. With the optional edge (CloudFront, WAF) on, so that its resources are checked too.
  app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  new TrustgateStack(app, 'Trustgate', { stage: 'prod', mailFrom: 'trustgate@example.com', alarmEmail: 'ops@example.com', waf: true, env: { account: '111111111111', region: 'eu-west-1' } });
  reports = {
    'AWS Solutions': new AwsSolutionsChecks(app).validateScope(app),
    Serverless: new ServerlessChecks(app).validateScope(app),
    'NIST 800-53 R5': new NIST80053R5Checks(app).validateScope(app),
  };
});

/** Every acknowledgment recorded in the tree, with where it was made. */
function acknowledgments(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))),
  );
}

describe('cdk-nag AWS Solutions, Serverless and NIST 800-53 R5 checks', () => {
  it.each(['AWS Solutions', 'Serverless', 'NIST 800-53 R5'])('finds no unacknowledged error or warning of the %s pack in the stack', (pack) => {
    const report = reports[pack]!;
    const findings = report.violations.map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('states a reason for every acknowledged finding', () => {
    const acks = acknowledgments(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length, `${ack.path} ${ack.id}`).toBeGreaterThan(40);
  });

  it('acknowledges only the findings reviewed for this stack', () => {
    const rules = [...new Set(acknowledgments(app).map((a) => a.id.replace(/^[^:]*::/, '').replace(/\[.*$/, '')))].sort();
    expect(rules).toEqual([
      'AwsSolutions-APIG4',
      'AwsSolutions-CFR1',
      'AwsSolutions-CFR3',
      'AwsSolutions-CFR4',
      'AwsSolutions-DDB4',
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SQS3',
      'NIST.800.53.R5-CloudFrontDistributionLogging',
      'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'NIST.800.53.R5-LambdaConcurrency',
      'NIST.800.53.R5-LambdaDLQ',
      'NIST.800.53.R5-LambdaInsideVPC',
      'NIST.800.53.R5-S3BucketReplicationEnabled',
      'NIST.800.53.R5-S3DefaultEncryptionKMS',
      'NIST.800.53.R5-WAFv2LoggingEnabled',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-LambdaLatestVersion',
      'Serverless-SNSRedrivePolicy',
      'Serverless-SQSRedrivePolicy',
    ]);
  });
});
