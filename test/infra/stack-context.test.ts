import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseStackContext, stackIdFor, StackContextError } from '../../infra/stack-context.ts';

const valid = { stage: 'prod', mailFrom: 'trustgate@acme-corp.com', alarmEmail: 'ops@acme-corp.com' };
const parse = (context: Record<string, unknown>) => parseStackContext((key) => context[key]);
/** The problems reported for `context`, or [] when it is accepted. */
const problemsOf = (context: Record<string, unknown>): string[] => {
  try {
    parse(context);
    return [];
  } catch (error) {
    if (!(error instanceof StackContextError)) throw error;
    return error.problems;
  }
};

describe('deploy context validation', () => {
  it('accepts the minimal context and defaults the rest', () => {
    expect(parse(valid)).toEqual({ ...valid, waf: false });
  });

  it('accepts every option at its valid values, as strings from -c', () => {
    expect(
      parse({ ...valid, alarmEmail: '', alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms', mailIdentity: 'domain', appOrigin: 'https://trustgate.acme-corp.com', authDomainPrefix: 'acme-trustgate', maxUploadMb: '100', breakGlassRoleArn: 'arn:aws:iam::123456789012:role/incident/break-glass', waf: 'true' }),
    ).toEqual({ stage: 'prod', mailFrom: valid.mailFrom, alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alarms', mailIdentity: 'domain', appOrigin: 'https://trustgate.acme-corp.com', authDomainPrefix: 'acme-trustgate', maxUploadMb: 100, breakGlassRoleArn: 'arn:aws:iam::123456789012:role/incident/break-glass', waf: true });
  });

  it('reports every missing required value at once, each with what to pass', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^stage is required: pass -c stage=/);
    expect(problems[1]).toMatch(/^mailFrom is required: pass -c mailFrom=/);
    expect(problems[2]).toMatch(/alarm target is required: pass -c alarmEmail=.* or -c alarmTopicArn=/);
  });

  it('refuses a sender on a placeholder domain', () => {
    for (const mailFrom of ['trustgate@example.com', 'a@mail.example.org', 'a@acme.example', 'a@localhost.localhost', 'a@host.test']) {
      expect(problemsOf({ ...valid, mailFrom }), mailFrom).toEqual([expect.stringMatching(/^mailFrom must be an address of a domain you own, not /)]);
    }
    expect(problemsOf({ ...valid, mailFrom: 'not-an-address' })).toEqual([expect.stringMatching(/^mailFrom must be an email address/)]);
  });

  it('refuses upload limits outside 1-100 MB and fractions', () => {
    for (const maxUploadMb of ['0', '101', '2.5', 'fifty', -1]) expect(problemsOf({ ...valid, maxUploadMb }), String(maxUploadMb)).toEqual([expect.stringMatching(/^maxUploadMb must be a whole number of MB from 1 to 100/)]);
    for (const maxUploadMb of ['1', 100, '50']) expect(problemsOf({ ...valid, maxUploadMb }), String(maxUploadMb)).toEqual([]);
  });

  it('refuses stage names that cannot go into resource names', () => {
    for (const stage of ['Prod', 'pr_od', '1prod', 'prod-', 'a--b', 'a-very-long-stage-name', 'prod stage']) expect(problemsOf({ ...valid, stage }), stage).toEqual([expect.stringMatching(/^stage must be 1-16 lower-case/)]);
    for (const stage of ['prod', 'staging-2', 'x']) expect(problemsOf({ ...valid, stage }), stage).toEqual([]);
  });

  it('refuses malformed alarm targets, origins, domain prefixes, role ARNs, identities and flags', () => {
    expect(problemsOf({ ...valid, alarmEmail: 'ops' })).toEqual([expect.stringMatching(/^alarmEmail must be an email address/)]);
    expect(problemsOf({ ...valid, alarmTopicArn: 'ops-alarms' })).toEqual([expect.stringMatching(/^alarmTopicArn must be an SNS topic ARN/)]);
    for (const appOrigin of ['http://trustgate.acme-corp.com', 'https://trustgate.acme-corp.com/', 'https://trustgate.acme-corp.com/app', 'trustgate.acme-corp.com']) {
      expect(problemsOf({ ...valid, appOrigin }), appOrigin).toEqual([expect.stringMatching(/^appOrigin must be an https origin/)]);
    }
    for (const authDomainPrefix of ['Acme', 'acme-cognito', 'my-aws-login', '-acme']) expect(problemsOf({ ...valid, authDomainPrefix }), authDomainPrefix).toEqual([expect.stringMatching(/^authDomainPrefix must be/)]);
    expect(problemsOf({ ...valid, breakGlassRoleArn: 'arn:aws:iam::123456789012:user/admin' })).toEqual([expect.stringMatching(/^breakGlassRoleArn must be an IAM role ARN/)]);
    expect(problemsOf({ ...valid, mailIdentity: 'dns' })).toEqual([expect.stringMatching(/^mailIdentity must be email, domain or existing/)]);
    expect(problemsOf({ ...valid, waf: 'yes' })).toEqual([expect.stringMatching(/^waf must be true or false/)]);
    expect(problemsOf({ ...valid, stage: { name: 'prod' } })).toEqual([expect.stringMatching(/^stage must be a single value/), expect.stringMatching(/^stage is required/)]);
  });

  it('names the stack after the stage, so that two stages deploy side by side', () => {
    expect(stackIdFor('prod')).toBe('Trustgate-prod');
    expect(stackIdFor('staging')).not.toBe(stackIdFor('prod'));
  });

  it('fails `cdk synth` with the readable message, before synthesizing anything', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', '/tmp/trustgate-context-test.out', '-c', 'stage=Prod', '-c', 'mailFrom=trustgate@example.com', '-c', 'maxUploadMb=500'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      timeout: 120_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Cannot synthesize trustgate: 4 context value(s) to fix');
    expect(run.stderr).toContain('stage must be 1-16 lower-case letters');
    expect(run.stderr).toContain('mailFrom must be an address of a domain you own, not example.com');
    expect(run.stderr).toContain('an alarm target is required: pass -c alarmEmail=');
    expect(run.stderr).toContain('maxUploadMb must be a whole number of MB from 1 to 100 (got "500")');
    expect(run.stderr).not.toMatch(/at .*stack-context\.ts/);
  }, 120_000);
});
