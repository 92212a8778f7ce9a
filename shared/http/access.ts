/**
 * Who may call a route. Every route declares its access when it is defined (defineRoute); the table of
 * declarations is built as routes register, and a test checks that every route the app serves is in it.
 */
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors.ts';
import type { Principal, Role } from '../domain/roles.ts';
import type { TokenVerifier } from '../ports/token-verifier.ts';
import { looksLikePortalToken } from '../domain/portal.ts';
import type { PortalSession } from '../app/portal.ts';

export type Access =
  /** Anyone, no token (health, API docs). */
  | { kind: 'public' }
  /** Signed-in staff holding one of these roles. */
  | { kind: 'staff'; roles: readonly Role[] }
  /** The vendor, with the portal token of one assessment. */
  | { kind: 'portal' };

export interface RouteAccessEntry {
  method: string;
  path: string;
  access: Access;
  localOnly: boolean;
}

export type AppEnv = { Variables: { principal: Principal; portal: PortalSession } };

/** Resolves a portal token to its session, or throws (404 unknown, 410 expired or revoked). */
export type PortalResolver = (token: string) => Promise<PortalSession>;

export const staff = (...roles: Role[]): Access => ({ kind: 'staff', roles });
export const PUBLIC: Access = { kind: 'public' };
export const PORTAL: Access = { kind: 'portal' };

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Enforces an access declaration: 401 without a valid token, 403 with the wrong role or kind of token. */
export function enforceAccess(access: Access, tokens: TokenVerifier, resolvePortal: PortalResolver): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access.kind === 'public') return next();
    const header = c.req.header('authorization');
    const token = bearerToken(header);
    if (!token) throw new UnauthenticatedError(header ? 'The Authorization header must be "Bearer <token>"' : 'Sign in: this route needs a bearer token');
    if (access.kind === 'portal') {
      if (!looksLikePortalToken(token)) throw new ForbiddenError('This route takes the portal link of an assessment');
      c.set('portal', await resolvePortal(token));
      return next();
    }
    if (looksLikePortalToken(token)) throw new ForbiddenError('A portal link does not give access to this route');
    const principal = await tokens.verifyToken(token);
    if (!principal.roles.some((r) => access.roles.includes(r))) throw new ForbiddenError(`This action needs one of the roles: ${access.roles.join(', ')}`);
    c.set('principal', principal);
    return next();
  };
}
