import type { Principal } from '../domain/roles.ts';

/** Turns a bearer token into a verified principal, or throws `UnauthenticatedError`. */
export interface TokenVerifier {
  verifyToken(token: string): Promise<Principal>;
}
