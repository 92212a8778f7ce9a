/**
 * The deploy-time settings (`cdk synth|deploy -c key=value`), validated before anything is synthesized: every
 * problem is reported at once, each with what to pass instead, so that a wrong value fails `npm run synth` and
 * never a deployed function at start-up.
 */
import { UPLOAD_LIMIT_MB } from '../shared/composition/config.ts';

/** What `parseStackContext` returns: the stack's settings, checked. */
export interface StackContext {
  stage: string;
  mailFrom: string;
  mailIdentity?: 'email' | 'domain' | 'existing';
  appOrigin?: string;
  authDomainPrefix?: string;
  alarmEmail?: string;
  alarmTopicArn?: string;
  maxUploadMb?: number;
  breakGlassRoleArn?: string;
  waf: boolean;
}

/** One or more context values are missing or invalid; `problems` says which and what to pass. */
export class StackContextError extends Error {
  readonly code = 'invalid-stack-context';
  constructor(readonly problems: string[]) {
    super(`Cannot synthesize trustgate: ${problems.length} context value(s) to fix:\n${problems.map((p) => `  - ${p}`).join('\n')}\nExample: npx cdk deploy -c stage=prod -c mailFrom=trustgate@yourcompany.com -c alarmEmail=ops@yourcompany.com`);
    this.name = 'StackContextError';
  }
}

/** Lower-case letters, digits and single hyphens, starting with a letter; short enough for every name it goes into. */
const STAGE = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,15}$/;
const EMAIL = /^[^\s@]+@(?<domain>[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
/** Documentation domains (RFC 2606) and local names: mail to them never arrives. */
const PLACEHOLDER_DOMAIN = /(^|\.)(example(\.(com|org|net))?|test|invalid|localhost|local)$/i;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** Cognito domain prefixes: lower-case letters, digits, hyphens; never the reserved words. */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

/**
 * Reads and checks every context value. `get` returns the raw value (a string from `-c`, any JSON from cdk.json).
 * Throws StackContextError listing every problem.
 */
export function parseStackContext(get: (key: string) => unknown): StackContext {
  const problems: string[] = [];
  const text = (key: string): string | undefined => {
    const raw = get(key);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw === 'string') return raw.trim();
    if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
    problems.push(`${key} must be a single value (got ${JSON.stringify(raw)})`);
    return undefined;
  };

  const stage = text('stage');
  if (!stage) problems.push('stage is required: pass -c stage=<name> (e.g. prod, staging); it names the stack and the sign-in domain, so two stages can live in one account');
  else if (!STAGE.test(stage)) problems.push(`stage must be 1-16 lower-case letters, digits and single hyphens, starting with a letter (got "${stage}"): pass e.g. -c stage=prod`);

  const mailFrom = text('mailFrom');
  const mailDomain = mailFrom ? EMAIL.exec(mailFrom)?.groups?.domain : undefined;
  if (!mailFrom) problems.push('mailFrom is required: pass -c mailFrom=trustgate@yourcompany.com (an address or domain you can verify in SES)');
  else if (!mailDomain) problems.push(`mailFrom must be an email address (got "${mailFrom}"): pass -c mailFrom=trustgate@yourcompany.com`);
  else if (PLACEHOLDER_DOMAIN.test(mailDomain)) problems.push(`mailFrom must be an address of a domain you own, not ${mailDomain} (mail from it is never delivered): pass -c mailFrom=trustgate@yourcompany.com`);

  const mailIdentity = text('mailIdentity');
  if (mailIdentity !== undefined && !['email', 'domain', 'existing'].includes(mailIdentity)) {
    problems.push(`mailIdentity must be email, domain or existing (got "${mailIdentity}"): email verifies the address, domain verifies the domain with DKIM, existing uses an identity already verified in SES`);
  }

  const alarmEmail = text('alarmEmail');
  const alarmTopicArn = text('alarmTopicArn');
  if (!alarmEmail && !alarmTopicArn) problems.push('an alarm target is required: pass -c alarmEmail=ops@yourcompany.com or -c alarmTopicArn=arn:aws:sns:<region>:<account>:<topic> (an existing SNS topic), or alarms reach nobody');
  if (alarmEmail && !EMAIL.test(alarmEmail)) problems.push(`alarmEmail must be an email address (got "${alarmEmail}")`);
  if (alarmTopicArn && !SNS_TOPIC_ARN.test(alarmTopicArn)) problems.push(`alarmTopicArn must be an SNS topic ARN, arn:aws:sns:<region>:<account>:<topic> (got "${alarmTopicArn}")`);

  const maxUploadRaw = text('maxUploadMb');
  const maxUploadMb = maxUploadRaw === undefined ? undefined : Number(maxUploadRaw);
  if (maxUploadMb !== undefined && (!Number.isInteger(maxUploadMb) || maxUploadMb < UPLOAD_LIMIT_MB.min || maxUploadMb > UPLOAD_LIMIT_MB.max)) {
    problems.push(`maxUploadMb must be a whole number of MB from ${UPLOAD_LIMIT_MB.min} to ${UPLOAD_LIMIT_MB.max} (got "${maxUploadRaw}"); leave it out for ${UPLOAD_LIMIT_MB.default}`);
  }

  const appOrigin = text('appOrigin');
  if (appOrigin !== undefined) {
    let origin: string | null;
    try {
      origin = new URL(appOrigin).origin;
    } catch {
      origin = null;
    }
    if (!origin || origin !== appOrigin || !appOrigin.startsWith('https://')) problems.push(`appOrigin must be an https origin without path or trailing slash, e.g. https://trustgate.yourcompany.com (got "${appOrigin}")`);
  }

  const authDomainPrefix = text('authDomainPrefix');
  if (authDomainPrefix !== undefined && (!DOMAIN_PREFIX.test(authDomainPrefix) || RESERVED_IN_PREFIX.test(authDomainPrefix))) {
    problems.push(`authDomainPrefix must be 1-63 lower-case letters, digits and hyphens without "aws", "amazon" or "cognito" (got "${authDomainPrefix}"); leave it out for trustgate-<stage>-<account>`);
  }

  const breakGlassRoleArn = text('breakGlassRoleArn');
  if (breakGlassRoleArn !== undefined && !IAM_ROLE_ARN.test(breakGlassRoleArn)) problems.push(`breakGlassRoleArn must be an IAM role ARN, arn:aws:iam::<account>:role/<name> (got "${breakGlassRoleArn}")`);

  const wafRaw = text('waf');
  if (wafRaw !== undefined && wafRaw !== 'true' && wafRaw !== 'false') problems.push(`waf must be true or false (got "${wafRaw}")`);

  if (problems.length > 0) throw new StackContextError(problems);
  return {
    stage: stage!,
    mailFrom: mailFrom!,
    ...(mailIdentity ? { mailIdentity: mailIdentity as StackContext['mailIdentity'] & string } : {}),
    ...(appOrigin ? { appOrigin } : {}),
    ...(authDomainPrefix ? { authDomainPrefix } : {}),
    ...(alarmEmail ? { alarmEmail } : {}),
    ...(alarmTopicArn ? { alarmTopicArn } : {}),
    ...(maxUploadMb !== undefined ? { maxUploadMb } : {}),
    ...(breakGlassRoleArn ? { breakGlassRoleArn } : {}),
    waf: wafRaw === 'true',
  };
}

/** The stack's id for a stage: one stack per stage, side by side in one account. */
export const stackIdFor = (stage: string) => `Trustgate-${stage}`;
