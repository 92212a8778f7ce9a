/** Who did it, for the audit trail: staff, the vendor through its portal link, or the workflow itself. */
import { auditEvent, type AuditEvent, type AuditTarget } from '../domain/audit.ts';
import type { Principal } from '../domain/roles.ts';
import type { AppDeps } from './deps.ts';

export type Actor = { kind: 'staff'; principal: Principal } | { kind: 'vendor'; assessmentId: string } | { kind: 'system' };

export const SYSTEM: Actor = { kind: 'system' };
export const staffActor = (principal: Principal): Actor => ({ kind: 'staff', principal });

export function actorName(actor: Actor): string {
  if (actor.kind === 'staff') return actor.principal.email ?? actor.principal.subject;
  if (actor.kind === 'vendor') return `vendor (portal link of ${actor.assessmentId})`;
  return 'trustgate workflow';
}

/** Builds the audit event of a change made now by `actor`. */
export function eventOf(
  deps: Pick<AppDeps, 'clock' | 'ids'>,
  actor: Actor,
  action: string,
  target: AuditTarget,
  summary: string,
  extra: { targetVersion?: number; changes?: AuditEvent['changes']; at?: string } = {},
): AuditEvent {
  return auditEvent({
    id: deps.ids.newId(),
    at: extra.at ?? deps.clock.now().toISOString(),
    actor: actorName(actor),
    role: actor.kind === 'staff' ? (actor.principal.roles[0] ?? 'system') : actor.kind === 'vendor' ? 'vendor' : 'system',
    action,
    target,
    summary,
    ...(extra.targetVersion !== undefined ? { targetVersion: extra.targetVersion } : {}),
    ...(extra.changes !== undefined ? { changes: extra.changes } : {}),
  });
}
