/** What the use cases need from the outside world, built once per process by a composition root. */
import type { WorkflowSettings } from '../domain/workflow.ts';
import type { AssessmentRepository } from '../ports/assessment-repository.ts';
import type { AssessmentWorkflow, PortalTokenMinter } from '../ports/assessment-workflow.ts';
import type { AuditLog, AuditVerificationJobs, AuditVerifier } from '../ports/audit-log.ts';
import type { BackgroundJobs } from '../ports/background-jobs.ts';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { DocumentInspector } from '../ports/document-inspector.ts';
import type { DocumentTextExtractor } from '../ports/document-text-extractor.ts';
import type { Clock, IdGenerator } from '../ports/clock.ts';
import type { DocumentStore, LocalObjectEndpoint } from '../ports/document-store.ts';
import type { Mailer, Outbox } from '../ports/mailer.ts';
import type { TokenVerifier } from '../ports/token-verifier.ts';
import type { Role } from '../domain/roles.ts';
import type { VendorRepository } from '../ports/vendor-repository.ts';
import type { SweepRunner } from '../ports/sweep-runner.ts';
import type { RegisterExportJobs, RiskRegisterReader } from '../ports/risk-register.ts';
import type { SweepSchedule } from '../ports/sweep-schedule.ts';
import type { RiskPolicy } from '../domain/risk/risk-policy.ts';

export interface AppDeps {
  vendors: VendorRepository;
  assessments: AssessmentRepository;
  register: RiskRegisterReader;
  /** CSV exports of the register as jobs (the file in `documents`). */
  registerExports: RegisterExportJobs;
  /**
   * The largest CSV `GET /api/risk-register?format=csv` answers directly (null: no limit, streamed). In AWS an answer
   * is buffered and cannot exceed 6 MB; a larger register is exported as a job (`POST /api/risk-register/exports`).
   */
  inlineCsvMaxBytes: number | null;
  workflow: AssessmentWorkflow;
  /** The daily sweep's due list and its per-vendor, per-day claims. */
  sweepSchedule: SweepSchedule;
  workflowSettings: WorkflowSettings;
  portalTokens: PortalTokenMinter;
  textExtractor: DocumentTextExtractor;
  /** Checks each upload before it is stored (readable, not encrypted for reading, page count). */
  documentInspector: DocumentInspector;
  /** Largest evidence upload in bytes. */
  maxUploadBytes: number;
  auditLog: AuditLog;
  auditVerifier: AuditVerifier;
  auditVerifications: AuditVerificationJobs;
  /**
   * Where jobs go that a request records and does not wait for (audit verifications, register exports): run after the
   * answer in this process locally; handed to the jobs function in AWS (docs/adr/0017).
   */
  jobs: BackgroundJobs;
  idempotency: IdempotencyStore;
  documents: DocumentStore;
  /** AWS mode: the origin the browser posts uploads to (the documents bucket), allowed by the portal page's CSP. */
  documentsOrigin?: string;
  /** Local mode only: what S3 does for the store's signed upload forms and download URLs (served by the local server). */
  localObjects?: LocalObjectEndpoint;
  mailer: Mailer;
  /** Local mode only: the mail that was written instead of sent. */
  outbox: Outbox | null;
  tokens: TokenVerifier;
  /** Local mode only: a short-lived token for a demo user of `role` (the web sign-in page's demo users). */
  localSignIn?: (role: Role) => Promise<string>;
  /** AWS mode: the Cognito hosted UI the web sign-in sends staff to (origin like https://x.auth.eu-west-1.amazoncognito.com). */
  hostedSignIn?: { domain: string; clientId: string };
  clock: Clock;
  ids: IdGenerator;
  mode: 'local' | 'aws';
  publicBaseUrl: string;
  /** The risk policy portfolio rules are evaluated with (absent: the policy in force, RISK_POLICY). */
  riskPolicy?: RiskPolicy;
  /** AWS mode: admin-requested sweeps run in the sweep function; without it the request runs the sweep itself. */
  sweepRunner?: SweepRunner;
}
