/** Errors raised when an uploaded document cannot be read at all. */
import { TrustgateError } from '../errors.ts';

export const unreadableCodes = ['not-a-pdf', 'empty', 'encrypted', 'corrupt', 'too-large', 'timeout'] as const;
export type UnreadableCode = (typeof unreadableCodes)[number];

/** The file could not be read: not a PDF, empty, encrypted, corrupt, too large, or analysis timed out. */
export class DocumentUnreadableError extends TrustgateError {
  declare readonly code: UnreadableCode;
  constructor(code: UnreadableCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'DocumentUnreadableError';
  }
}

/** Limits on what is analysed (issue 3): 50 MB, 2,000 pages, 60 s. */
export const documentLimits = { maxBytes: 50 * 1024 * 1024, maxPages: 2000, timeoutMs: 60_000 } as const;
