/** The bearer tokens the pages keep in sessionStorage (never a cookie: docs/adr/0004-web-ui.md), and the staff claims. */

export type TokenKind = 'staff' | 'portal';
const KEYS: Record<TokenKind, string> = { staff: 'trustgate.staffToken', portal: 'trustgate.portalToken' };

export function getToken(kind: TokenKind): string | null {
  try {
    return sessionStorage.getItem(KEYS[kind]);
  } catch {
    return null;
  }
}

export function setToken(kind: TokenKind, value: string | null): void {
  if (value) sessionStorage.setItem(KEYS[kind], value);
  else sessionStorage.removeItem(KEYS[kind]);
}

export interface StaffClaims {
  sub: string;
  email?: string;
  exp?: number;
  'cognito:groups'?: string[];
}

/**
 * The claims of a JWT for display only (the server checks the signature on every call): null when the token is
 * malformed or expired at `nowMs`.
 */
export function claimsOf(token: string | null, nowMs: number): StaffClaims | null {
  if (!token) return null;
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(part)) as unknown;
    if (!claims || typeof claims !== 'object' || typeof (claims as StaffClaims).sub !== 'string') return null;
    const typed = claims as StaffClaims;
    if (typeof typed.exp === 'number' && typed.exp * 1000 < nowMs) return null;
    return typed;
  } catch {
    return null;
  }
}

export const staffClaims = (): StaffClaims | null => claimsOf(getToken('staff'), Date.now());
export const staffRoles = (): string[] => staffClaims()?.['cognito:groups'] ?? [];
export const hasRole = (...roles: string[]): boolean => staffRoles().some((r) => roles.includes(r));

/** Forgets the staff token and goes to sign-in, coming back here afterwards. */
export function signInAgain(): void {
  setToken('staff', null);
  location.assign(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
}
