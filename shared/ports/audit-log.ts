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
  verifyAuditTrail(): Promise<AuditVerification>;
}
