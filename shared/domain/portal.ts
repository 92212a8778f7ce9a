/** Portal tokens: the vendor's only credential, scoped to one assessment. Stored hashed; the raw token is mailed once. */
import { addDays } from './assessment.ts';

export interface PortalTokenRecord {
  tokenHash: string;
  assessmentId: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** Why it was revoked: rotated (a reminder sent a new link), cancelled, finished. */
  revokedReason: string | null;
}

export type PortalTokenState = 'valid' | 'expired' | 'revoked';

export function portalTokenState(record: PortalTokenRecord, now: string): PortalTokenState {
  if (record.revokedAt) return 'revoked';
  if (record.expiresAt <= now) return 'expired';
  return 'valid';
}

/** Portal links live until 30 days after the due date. */
export const PORTAL_TOKEN_GRACE_DAYS = 30;

/**
 * When a link issued on `today` expires: 30 days after the due date, or after today once the due date has passed
 * (a link mailed after the due date, e.g. when security asks for a new file, must still open).
 */
export function portalLinkExpiry(dueDate: string, today: string): string {
  return `${addDays(dueDate > today ? dueDate : today, PORTAL_TOKEN_GRACE_DAYS)}T23:59:59.999Z`;
}

/** True when the links issued before the due date have expired by `now` (an ISO instant). */
export const dueDateLinksExpired = (dueDate: string, now: string): boolean => portalLinkExpiry(dueDate, dueDate) <= now;

export const PORTAL_TOKEN_PREFIX = 'tgp_';
export const looksLikePortalToken = (token: string) => token.startsWith(PORTAL_TOKEN_PREFIX) && /^tgp_[A-Za-z0-9_-]{43}$/.test(token);
