/** Reading the audit trail. */
import type { AuditEvent, AuditTarget } from '../domain/audit.ts';
import type { Page } from '../ports/page.ts';
import type { AppDeps } from './deps.ts';

/** The audit events about one target, oldest first. */
export async function listAuditTrail(deps: Pick<AppDeps, 'auditLog'>, target: AuditTarget, page: { limit: number; cursor?: string }): Promise<Page<AuditEvent>> {
  return deps.auditLog.listAuditEventsFor(target, page);
}
