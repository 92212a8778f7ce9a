/** CDK app: `npm run synth` / `npm run deploy`. Context: mailFrom (sender address verified in SES). */
import { App } from 'aws-cdk-lib';
import { TrustgateStack } from './trustgate-stack.ts';

const app = new App();
new TrustgateStack(app, 'Trustgate', {
  mailFrom: (app.node.tryGetContext('mailFrom') as string | undefined) ?? 'trustgate@example.com',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
