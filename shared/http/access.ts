/**
 * Who may call a route. Every route declares its access when it is defined (defineRoute); the table of
 * declarations is built as routes register, and a test checks that every route the app serves is in it.
 */
import type { MiddlewareHandler } from 'hono';
import { ForbiddenError, UnauthenticatedError } from '../domain/errors.ts';
import type { Principal, Role } from '../domain/roles.ts';
import type { TokenVerifier } from '../ports/token-verifier.ts';

export type Access =
  /** Anyone, no token (health, API docs). */
  | { kind: 'public' }
  /** Signed-in staff holding one of these roles. */
  | { kind: 'staff'; roles: readonly Role[] };

export interface RouteAccessEntry {
  method: string;
  path: string;
  access: Access;
  localOnly: boolean;
}

export type AppEnv = { Variables: { principal: Principal } };

export const staff = (...roles: Role[]): Access => ({ kind: 'staff', roles });
export const PUBLIC: Access = { kind: 'public' };

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1]! : null;
}

/** Enforces an access declaration: 401 without a valid token, 403 with the wrong role. */
export function enforceAccess(access: Access, tokens: TokenVerifier): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (access.kind === 'public') return next();
    const header = c.req.header('authorization');
    const token = bearerToken(header);
    if (!token) throw new UnauthenticatedError(header ? 'The Authorization header must be "Bearer <token>"' : 'Sign in: this route needs a bearer token');
    const principal = await tokens.verifyToken(token);
    if (!principal.roles.some((r) => access.roles.includes(r))) throw new ForbiddenError(`This action needs one of the roles: ${access.roles.join(', ')}`);
    c.set('principal', principal);
    return next();
  };
}
