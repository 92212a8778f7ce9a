import type { AuditEvent, AuditTarget } from '../domain/audit.ts';
import type { Page } from './page.ts';

/** Reads the append-only audit trail. Events are written by the repositories together with the change. */
export interface AuditLog {
  /** Events about one target, oldest first. */
  listAuditEventsFor(target: AuditTarget, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>>;
}
