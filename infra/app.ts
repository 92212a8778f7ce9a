/**
 * CDK app: `npm run synth` / `npm run deploy`. Context (-c key=value), checked before synthesis (stack-context.ts):
 * stage and mailFrom (required), an alarm target (alarmEmail or alarmTopicArn, required), mailIdentity
 * (email | domain | existing), appOrigin, authDomainPrefix, maxUploadMb (1-100), breakGlassRoleArn, waf (true|false).
 * cdk-nag's AWS Solutions, Serverless and NIST 800-53 R5 checks run on every synth and fail it on any
 * unacknowledged finding.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { parseStackContext, stackIdFor, StackContextError } from './stack-context.ts';
import { TrustgateStack } from './trustgate-stack.ts';

const app = new App();
let context;
try {
  context = parseStackContext((key) => app.node.tryGetContext(key));
} catch (error) {
  if (!(error instanceof StackContextError)) throw error;
  // The message is the whole answer: no stack trace under it.
  console.error(error.message);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app), new NIST80053R5Checks(app));

new TrustgateStack(app, stackIdFor(context.stage), {
  ...context,
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
