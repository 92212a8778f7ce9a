/** Portal tokens: the vendor's only credential, scoped to one assessment. Stored hashed; the raw token is mailed once. */

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

export const PORTAL_TOKEN_PREFIX = 'tgp_';
export const looksLikePortalToken = (token: string) => token.startsWith(PORTAL_TOKEN_PREFIX) && /^tgp_[A-Za-z0-9_-]{43}$/.test(token);
