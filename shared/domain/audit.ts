/** Audit events: one per state change, appended and never updated or deleted. */
import type { Role } from './roles.ts';

export const AUDIT_TARGET_TYPES = ['vendor', 'assessment', 'finding', 'document', 'questionnaire', 'audit-verification', 'register-export'] as const;

export interface AuditTarget {
  type: (typeof AUDIT_TARGET_TYPES)[number];
  id: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  role: Role | 'vendor' | 'system';
  action: string;
  target: AuditTarget;
  /** Version of the target this event produced, when the target is versioned. */
  targetVersion: number | null;
  summary: string;
  changes: Record<string, { from: unknown; to: unknown }> | null;
}

/** Builds the event for a state change; ids and time come from the caller. */
export function auditEvent(input: Omit<AuditEvent, 'changes' | 'targetVersion'> & Partial<Pick<AuditEvent, 'changes' | 'targetVersion'>>): AuditEvent {
  return { changes: null, targetVersion: null, ...input };
}
