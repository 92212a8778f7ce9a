/**
 * CDK app: `npm run synth` / `npm run deploy`. cdk-nag's AWS Solutions checks run on every synth and fail it on
 * any unacknowledged finding. Context (-c key=value): mailFrom (required to deploy), mailIdentity
 * (email | domain | existing), appOrigin, authDomainPrefix, alarmEmail, maxUploadMb.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks } from 'cdk-nag';
import { TrustgateStack } from './trustgate-stack.ts';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app), new NIST80053R5Checks(app));
const context = (key: string) => (app.node.tryGetContext(key) as string | undefined) || undefined;
const mailIdentity = context('mailIdentity');
if (mailIdentity && !['email', 'domain', 'existing'].includes(mailIdentity)) throw new Error(`mailIdentity must be email, domain or existing (got "${mailIdentity}")`);
const maxUploadMb = context('maxUploadMb');

new TrustgateStack(app, 'Trustgate', {
  mailFrom: context('mailFrom') ?? 'trustgate@example.com',
  ...(mailIdentity ? { mailIdentity: mailIdentity as 'email' | 'domain' | 'existing' } : {}),
  ...(context('appOrigin') ? { appOrigin: context('appOrigin')! } : {}),
  ...(context('authDomainPrefix') ? { authDomainPrefix: context('authDomainPrefix')! } : {}),
  ...(context('alarmEmail') ? { alarmEmail: context('alarmEmail')! } : {}),
  ...(maxUploadMb ? { maxUploadMb: Number(maxUploadMb) } : {}),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
app.synth();
