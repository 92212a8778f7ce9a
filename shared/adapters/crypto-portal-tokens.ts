/** Portal tokens: 256 random bits, base64url, prefixed; stored as SHA-256 hashes only. */
import { createHash, randomBytes } from 'node:crypto';
import { PORTAL_TOKEN_PREFIX } from '../domain/portal.ts';
import type { PortalTokenMinter } from '../ports/assessment-workflow.ts';

export const cryptoPortalTokens: PortalTokenMinter = {
  mint() {
    const token = `${PORTAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    return { token, hash: cryptoPortalTokens.hash(token) };
  },
  hash: (token) => createHash('sha256').update(token, 'utf8').digest('base64url'),
};
