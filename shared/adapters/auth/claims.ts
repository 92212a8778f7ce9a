/** Maps verified JWT claims to a principal. Local tokens carry the same claim names as Cognito's. */
import type { JWTPayload } from 'jose';
import { UnauthenticatedError } from '../../domain/errors.ts';
import { isRole, type Principal } from '../../domain/roles.ts';

export function principalFromClaims(claims: JWTPayload): Principal {
  const groups = claims['cognito:groups'];
  const roles = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string').filter(isRole) : [];
  if (!claims.sub) throw new UnauthenticatedError('The token has no subject', 'invalid-token');
  const email = typeof claims.email === 'string' ? claims.email : null;
  return { subject: claims.sub, email, roles };
}
