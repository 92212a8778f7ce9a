/**
 * Local sign-in: HS256 tokens signed with a key generated once into the data folder. Same claim names as
 * Cognito ID tokens (`sub`, `email`, `cognito:groups`), so the API reads both the same way.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthenticatedError } from '../../domain/errors.ts';
import type { Principal, Role } from '../../domain/roles.ts';
import type { TokenVerifier } from '../../ports/token-verifier.ts';
import { principalFromClaims } from './claims.ts';

export const LOCAL_ISSUER = 'trustgate-local';
export const LOCAL_AUDIENCE = 'trustgate-api';

export class LocalTokenService implements TokenVerifier {
  constructor(private readonly key: Uint8Array) {}

  /** Reads the signing key from `file`, creating it (mode 600) on first use. */
  static async fromKeyFile(file: string): Promise<LocalTokenService> {
    try {
      return new LocalTokenService(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64url'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = randomBytes(32);
    await mkdir(dirname(file), { recursive: true });
    try {
      await writeFile(file, key.toString('base64url'), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return LocalTokenService.fromKeyFile(file);
      throw error;
    }
    await chmod(file, 0o600);
    return new LocalTokenService(key);
  }

  async issueToken(input: { role: Role; email: string; expiresInSeconds?: number; now?: Date }): Promise<string> {
    const now = Math.floor((input.now ?? new Date()).getTime() / 1000);
    return new SignJWT({ email: input.email, 'cognito:groups': [input.role], token_use: 'id' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(`local:${input.email}`)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + (input.expiresInSeconds ?? 12 * 3600))
      .setJti(randomUUID())
      .sign(this.key);
  }

  async verifyToken(token: string): Promise<Principal> {
    try {
      // A token without exp would be good for ever: refused, as a stolen one must stop working.
      const { payload } = await jwtVerify(token, this.key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp'] });
      return principalFromClaims(payload);
    } catch (error) {
      if (error instanceof UnauthenticatedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The token has expired; sign in again', 'token-expired');
      throw new UnauthenticatedError('The token is not valid', 'invalid-token');
    }
  }
}
