import type { Assessment, AssessmentStatus } from '../domain/assessment.ts';
import type { AuditEvent } from '../domain/audit.ts';
import type { EvidenceDocument, UploadIntent } from '../domain/evidence.ts';
import type { PortalTokenRecord } from '../domain/portal.ts';
import type { Answers } from '../domain/questionnaire/answers.ts';
import type { Page } from './page.ts';
import type { RiskRecord, VendorRiskSummary } from '../domain/risk-record.ts';
import type { CarriedOver } from '../domain/questionnaire/carry-over.ts';
import type { FourthPartyDependency } from '../domain/fourth-parties.ts';

/** The vendor's answers, per template id, with their own version (draft saves do not touch the assessment). */
export interface AnswerSheet {
  assessmentId: string;
  answers: Record<string, Answers>;
  version: number;
  updatedAt: string | null;
  lockedAt: string | null;
  /** A reassessment's answers carried over from the vendor's last approved assessment (absent on older sheets). */
  carriedOver?: CarriedOver | null;
}

/** Where the workflow waits for a callback: enough to resume it after a restart. */
export interface PendingTask {
  assessmentId: string;
  token: string;
  /** The state that waits (e.g. AwaitVendorSubmission). */
  state: string;
  /** The state's input, to start again from that state. */
  stateInput: unknown;
  since: string;
}

/** What a scored assessment puts on its vendor's register line. */
export interface RegisterUpdate {
  summary: VendorRiskSummary;
  /** Subservice organizations named in the scored evidence; absent: unchanged. */
  subservices?: string[];
  /** The same providers with method, services, region and citation (fourth parties); absent: unchanged. */
  fourthParties?: FourthPartyDependency[];
}

export interface AssessmentListFilter {
  vendorId?: string;
  status?: AssessmentStatus;
  openOnly?: boolean;
}

/** Assessments, their answers, evidence, portal tokens and workflow bookkeeping. */
export interface AssessmentRepository {
  insertAssessment(assessment: Assessment, sheet: AnswerSheet, event: AuditEvent): Promise<void>;
  getAssessment(id: string): Promise<Assessment | null>;
  /** Replaces the assessment if still at `expectedVersion`, else ConcurrentUpdateError. */
  replaceAssessment(assessment: Assessment, expectedVersion: number, event: AuditEvent): Promise<void>;
  /** Newest first. */
  listAssessments(filter: AssessmentListFilter, page: { limit: number; cursor?: string }): Promise<Page<Assessment>>;

  getAnswerSheet(assessmentId: string): Promise<AnswerSheet | null>;
  /** Replaces the sheet if still at `expectedVersion`, else ConcurrentUpdateError. */
  replaceAnswerSheet(sheet: AnswerSheet, expectedVersion: number, event: AuditEvent): Promise<void>;

  /**
   * Inserts a document unless the assessment already holds `maxDocuments` (ConflictError too-many-documents) or the id
   * exists (ConflictError document-exists): a conditional write on the assessment's document count, so racing inserts
   * never pass the limit.
   */
  insertDocument(document: EvidenceDocument, event: AuditEvent, limit: { maxDocuments: number }): Promise<void>;
  getDocument(assessmentId: string, documentId: string): Promise<EvidenceDocument | null>;
  replaceDocument(document: EvidenceDocument, expectedVersion: number, event: AuditEvent): Promise<void>;
  /** Deletes the document record if it is still at `document.version` (else ConcurrentUpdateError), with its audit event. */
  removeDocument(document: EvidenceDocument, event: AuditEvent): Promise<void>;
  listDocuments(assessmentId: string): Promise<EvidenceDocument[]>;

  /** Records an announced upload (ConflictError when the id exists). */
  insertUploadIntent(intent: UploadIntent, event: AuditEvent): Promise<void>;
  getUploadIntent(assessmentId: string, uploadId: string): Promise<UploadIntent | null>;

  /** Stores a new portal token and revokes the assessment's previous ones, together. */
  issuePortalToken(record: PortalTokenRecord, revokePrevious: { reason: string; at: string }, event: AuditEvent): Promise<void>;
  getPortalToken(tokenHash: string): Promise<PortalTokenRecord | null>;
  revokePortalTokens(assessmentId: string, reason: string, at: string): Promise<void>;

  getRiskRecord(assessmentId: string): Promise<RiskRecord | null>;
  /**
   * Stores the record and moves the vendor's risk-register line to `register`, in one atomic write;
   * `expectedVersion` null means it must not exist yet. ConcurrentUpdateError otherwise.
   */
  putRiskRecord(record: RiskRecord, expectedVersion: number | null, event: AuditEvent, register: RegisterUpdate): Promise<void>;
  /** The register's view of each vendor's latest scored assessment (vendors never scored are absent). */
  getVendorRiskSummaries(vendorIds: string[]): Promise<Map<string, VendorRiskSummary>>;

  /** Records that a notice went out; false when it already had (so the sweep sends each notice once). */
  recordNotice(notice: { vendorId: string; kind: string; on: string; at: string }): Promise<boolean>;

  putPendingTask(task: PendingTask): Promise<void>;
  getPendingTask(assessmentId: string): Promise<PendingTask | null>;
  /** Removes the pending task if it still holds `token`. */
  clearPendingTask(assessmentId: string, token: string): Promise<void>;
  listPendingTasks(): Promise<PendingTask[]>;
}
