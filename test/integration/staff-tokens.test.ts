/** Staff bearer tokens: both verifiers (local HS256 and Cognito RS256) refuse a token that never expires. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoTokenVerifier } from '../../shared/adapters/auth/cognito-token-verifier.ts';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokenService } from '../../shared/adapters/auth/local-token-service.ts';
import { localSigningKeyFile } from '../../shared/composition/local-paths.ts';
import { readFile } from 'node:fs/promises';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const claims = (overrides: JWTPayload = {}): JWTPayload => ({ email: 'x@example.com', 'cognito:groups': ['admin'], token_use: 'id', ...overrides });

describe('local staff tokens', () => {
  let stack: TestStack;
  let key: Uint8Array;
  beforeAll(async () => {
    stack = await startTestStack();
    key = Buffer.from((await readFile(localSigningKeyFile(stack.config), 'utf8')).trim(), 'base64url');
  });
  afterAll(async () => stack.dispose());

  const signed = (withExpiry: boolean) => {
    const jwt = new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).setSubject('local:x@example.com').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt();
    return (withExpiry ? jwt.setExpirationTime('1h') : jwt).sign(key);
  };

  it('refuses a correctly signed token without exp (401 invalid-token)', async () => {
    const res = await stack.call('GET', '/api/vendors', { token: await signed(false) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid-token' });
  });

  it('accepts the same token with exp', async () => {
    expect((await stack.call('GET', '/api/vendors', { token: await signed(true) })).status).toBe(200);
  });

  it('issues tokens the verifier accepts', async () => {
    const service = new LocalTokenService(key);
    expect((await service.verifyToken(await service.issueToken({ role: 'security', email: 's@example.com' }))).roles).toEqual(['security']);
  });
});

describe('Cognito ID tokens', () => {
  let server: Server;
  let issuer: string;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
    // The user pool's published keys, served the way Cognito serves them.
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const signed = (withExpiry: boolean) => {
    const jwt = new SignJWT(claims()).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('u-1').setIssuer(issuer).setAudience('web-client-1').setIssuedAt();
    return (withExpiry ? jwt.setExpirationTime('1h') : jwt).sign(privateKey);
  };

  it('refuses a correctly signed token without exp', async () => {
    await expect(new CognitoTokenVerifier(issuer, 'web-client-1').verifyToken(await signed(false))).rejects.toMatchObject({ code: 'invalid-token' });
  });

  it('accepts the same token with exp', async () => {
    expect((await new CognitoTokenVerifier(issuer, 'web-client-1').verifyToken(await signed(true))).roles).toEqual(['admin']);
  });
});
