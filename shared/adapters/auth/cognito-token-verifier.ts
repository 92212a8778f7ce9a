/** Verifies Cognito ID tokens against the user pool's published keys (the API Gateway authorizer checks them too). */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { UnauthenticatedError } from '../../domain/errors.ts';
import type { Principal } from '../../domain/roles.ts';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { principalFromClaims } from './claims.ts';

export class CognitoTokenVerifier implements TokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  constructor(
    private readonly issuer: string,
    private readonly clientId: string,
  ) {
    this.jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
  }

  async verifyToken(token: string): Promise<Principal> {
    try {
      // A token without exp would be good for ever: refused, as a stolen one must stop working.
      const { payload } = await jwtVerify(token, this.jwks, { issuer: this.issuer, audience: this.clientId, algorithms: ['RS256'], requiredClaims: ['exp'] });
      if (payload.token_use !== 'id') throw new UnauthenticatedError('An ID token is required', 'invalid-token');
      return principalFromClaims(payload);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The token has expired; sign in again', 'token-expired');
      throw new UnauthenticatedError('The token is not valid', 'invalid-token');
    }
  }
}
