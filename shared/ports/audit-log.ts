import type { AuditEvent, AuditTarget } from '../domain/audit.ts';
import type { Page } from './page.ts';

/** Reads the append-only audit trail. Events are written by the repositories together with the change. */
export interface AuditLog {
  /** Events about one target, oldest first. */
  listAuditEventsFor(target: AuditTarget, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>>;
}

export interface AuditVerification {
  chains: number;
  events: number;
  problems: { target: AuditTarget; seq: number | null; eventId: string | null; problem: string; detail: string }[];
}

/** Checks every target's hash chain: modified, deleted or reordered events, and chains cut short. */
export interface AuditVerifier {
  /** Every chain from its first event (read only). */
  verifyAuditTrail(): Promise<AuditVerification>;
  /**
   * With checkpoints: 'incremental' checks only the chains that grew since the last run, from their checkpoint on
   * (each checkpoint checked against the event it names); 'full' checks every chain from its first event and every
   * checkpoint. Chains found intact get their checkpoint moved to their head; broken ones keep theirs.
   */
  verifyWithCheckpoints(mode: AuditVerificationMode, at: string): Promise<AuditVerification>;
}

export type AuditVerificationMode = 'incremental' | 'full';

export type AuditVerificationStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** A verification run asked for through the API, with its report once done. */
export interface AuditVerificationJob {
  id: string;
  mode: AuditVerificationMode;
  status: AuditVerificationStatus;
  requestedBy: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  report: (AuditVerification & { ok: boolean }) | null;
  error: string | null;
  version: number;
}

/** Verification jobs, each change written with its audit event. */
export interface AuditVerificationJobs {
  insertJob(job: AuditVerificationJob, event: AuditEvent): Promise<void>;
  getJob(id: string): Promise<AuditVerificationJob | null>;
  /** Replaces the job if still at `expectedVersion`, else ConcurrentUpdateError. */
  replaceJob(job: AuditVerificationJob, expectedVersion: number, event: AuditEvent): Promise<void>;
}
