/**
 * Configuration: `loadConfig()` is the only reader of process.env. Local mode needs nothing set; AWS mode
 * fails at start-up naming every missing variable at once. ENV_VARS is the one list of names (CDK sets them).
 */
import { resolve } from 'node:path';

export const ENV_VARS = {
  mode: 'TRUSTGATE_MODE',
  port: 'PORT',
  host: 'TRUSTGATE_HOST',
  dataDir: 'TRUSTGATE_DATA_DIR',
  publicBaseUrl: 'TRUSTGATE_PUBLIC_URL',
  tableName: 'TRUSTGATE_TABLE_NAME',
  documentsBucket: 'TRUSTGATE_DOCUMENTS_BUCKET',
  documentsKmsKeyId: 'TRUSTGATE_DOCUMENTS_KMS_KEY_ID',
  mailFrom: 'TRUSTGATE_MAIL_FROM',
  mailConfigurationSet: 'TRUSTGATE_MAIL_CONFIGURATION_SET',
  cognitoIssuer: 'TRUSTGATE_COGNITO_ISSUER',
  cognitoClientId: 'TRUSTGATE_COGNITO_CLIENT_ID',
  cognitoDomain: 'TRUSTGATE_COGNITO_DOMAIN',
  maxUploadMb: 'TRUSTGATE_MAX_UPLOAD_MB',
  stateMachineArn: 'TRUSTGATE_STATE_MACHINE_ARN',
  sweepRunnerArn: 'TRUSTGATE_SWEEP_RUNNER_ARN',
  /** The state machine that hands background jobs to the jobs function (the API's only: docs/adr/0017). */
  jobRunnerArn: 'TRUSTGATE_JOB_RUNNER_ARN',
  /** The sweep planner's queue of batches (set on the planning sweep function only: docs/adr/0014). */
  sweepQueueUrl: 'TRUSTGATE_SWEEP_QUEUE_URL',
  reminderIntervalSeconds: 'TRUSTGATE_REMINDER_INTERVAL_SECONDS',
  maxReminders: 'TRUSTGATE_MAX_REMINDERS',
  sweepIntervalSeconds: 'TRUSTGATE_SWEEP_INTERVAL_SECONDS',
  portalRateLimit: 'TRUSTGATE_PORTAL_RATE_LIMIT',
  signInRateLimit: 'TRUSTGATE_SIGNIN_RATE_LIMIT',
  trustedProxyHops: 'TRUSTGATE_TRUSTED_PROXY_HOPS',
  crashAt: 'TRUSTGATE_CRASH_AT',
  /** Set by the Lambda runtime itself. */
  awsRegion: 'AWS_REGION',
} as const;

interface CommonConfig {
  publicBaseUrl: string;
  tableName: string;
  mailFrom: string;
  maxUploadBytes: number;
  /** How long the workflow waits for the vendor before each reminder, and how many reminders before escalating. */
  workflow: { reminderIntervalSeconds: number; maxReminders: number };
  /**
   * Requests per minute per client address on the portal API and on sign-in, and how many proxies of ours append to
   * X-Forwarded-For in front of the platform (0: the address is API Gateway's source IP, or the socket's, alone).
   */
  rateLimits: { portalPerMinute: number; signInPerMinute: number; trustedProxyHops: number };
}

export interface LocalConfig extends CommonConfig {
  mode: 'local';
  /** How often the local timer runs the daily sweep (reassessments, expiring evidence). */
  sweepIntervalSeconds: number;
  host: string;
  port: number;
  /** Folder for the LevelDB tables, documents, outbox and signing key. */
  dataDir: string;
  /** False when publicBaseUrl was derived from the port (and must follow it when the port is chosen at start). */
  publicBaseUrlGiven: boolean;
  /** Crash suite only: the crash point that kills the process (`<name>[@<n>]`, see adapters/local/crash-points.ts). */
  crashAt: string | null;
}

export interface AwsConfig extends CommonConfig {
  mode: 'aws';
  /** Set for the functions that start executions (the API, the sweep); null for the workflow's own steps. */
  stateMachineArn: string | null;
  documentsBucket: string;
  documentsKmsKeyId: string | null;
  /** The region the functions run in (the Lambda runtime sets it): where the browser posts uploads. */
  awsRegion: string | null;
  cognitoIssuer: string;
  cognitoClientId: string;
  /** The hosted UI's base URL (https://<prefix>.auth.<region>.amazoncognito.com), for browser sign-in. */
  cognitoDomain: string | null;
  /** The state machine that runs admin-requested sweeps in the sweep function (the API only); null runs them in-process. */
  sweepRunnerArn: string | null;
  jobRunnerArn: string | null;
  sweepQueueUrl: string | null;
  /** The SES configuration set mail is sent through (bounce and complaint metrics); null sends without one. */
  mailConfigurationSet: string | null;
}

export type Config = LocalConfig | AwsConfig;

/** Thrown at start-up when configuration is missing or wrong; lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The largest evidence upload an operator may configure, in MB: one range for start-up and for `cdk synth`. */
export const UPLOAD_LIMIT_MB = { min: 1, max: 100, default: 50 } as const;

export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const mode = env[ENV_VARS.mode] ?? 'local';
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return value;
  };
  const maxUploadBytes = int(ENV_VARS.maxUploadMb, UPLOAD_LIMIT_MB.default, UPLOAD_LIMIT_MB.min, UPLOAD_LIMIT_MB.max) * 1024 * 1024;
  const workflow = {
    reminderIntervalSeconds: int(ENV_VARS.reminderIntervalSeconds, 3 * 24 * 3600, 1, 30 * 24 * 3600),
    maxReminders: int(ENV_VARS.maxReminders, 3, 0, 10),
  };
  const rateLimits = {
    portalPerMinute: int(ENV_VARS.portalRateLimit, 600, 1, 1_000_000),
    signInPerMinute: int(ENV_VARS.signInRateLimit, 20, 1, 1_000_000),
    trustedProxyHops: int(ENV_VARS.trustedProxyHops, 0, 0, 5),
  };

  /** The base of every link mailed (portal, assessment pages): absolute http(s), no query, fragment or credentials. */
  const publicUrl = (raw: string | undefined): string | undefined => {
    if (raw === undefined || raw === '') return undefined;
    let url: URL | null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password || raw.includes('?') || raw.includes('#')) {
      problems.push(`${ENV_VARS.publicBaseUrl} must be an absolute http(s) URL such as https://trustgate.example.com, without query, fragment or credentials (got "${raw}")`);
      return undefined;
    }
    return raw.replace(/\/+$/, '');
  };
  const givenPublicUrl = publicUrl(env[ENV_VARS.publicBaseUrl]);

  if (mode === 'local') {
    const port = int(ENV_VARS.port, 3000, 0, 65535);
    const host = env[ENV_VARS.host] || '127.0.0.1';
    if (problems.length) throw new ConfigError(problems);
    return {
      mode: 'local',
      host,
      port,
      dataDir: resolve(cwd, env[ENV_VARS.dataDir] || '.data'),
      publicBaseUrl: givenPublicUrl ?? `http://localhost:${port}`,
      publicBaseUrlGiven: givenPublicUrl !== undefined,
      tableName: env[ENV_VARS.tableName] || 'trustgate',
      mailFrom: env[ENV_VARS.mailFrom] || 'trustgate@localhost',
      maxUploadBytes,
      workflow,
      rateLimits,
      sweepIntervalSeconds: int(ENV_VARS.sweepIntervalSeconds, 24 * 3600, 1, 7 * 24 * 3600),
      crashAt: env[ENV_VARS.crashAt] || null,
    };
  }
  if (mode !== 'aws') throw new ConfigError([`${ENV_VARS.mode} must be "local" or "aws" (got "${mode}")`]);

  const required = (name: string) => {
    const value = env[name];
    if (!value) problems.push(`${name} is required in aws mode`);
    return value ?? '';
  };
  const config: AwsConfig = {
    mode: 'aws',
    publicBaseUrl: env[ENV_VARS.publicBaseUrl] ? (givenPublicUrl ?? '') : required(ENV_VARS.publicBaseUrl),
    tableName: required(ENV_VARS.tableName),
    documentsBucket: required(ENV_VARS.documentsBucket),
    documentsKmsKeyId: env[ENV_VARS.documentsKmsKeyId] || null,
    awsRegion: env[ENV_VARS.awsRegion] || null,
    mailFrom: required(ENV_VARS.mailFrom),
    cognitoIssuer: required(ENV_VARS.cognitoIssuer),
    cognitoClientId: required(ENV_VARS.cognitoClientId),
    cognitoDomain: env[ENV_VARS.cognitoDomain] || null,
    mailConfigurationSet: env[ENV_VARS.mailConfigurationSet] || null,
    sweepRunnerArn: env[ENV_VARS.sweepRunnerArn] || null,
    jobRunnerArn: env[ENV_VARS.jobRunnerArn] || null,
    sweepQueueUrl: env[ENV_VARS.sweepQueueUrl] || null,
    stateMachineArn: env[ENV_VARS.stateMachineArn] || null,
    maxUploadBytes,
    workflow,
    rateLimits,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
