/**
 * Domain errors. Each has a stable `code` (part of the API contract) and an explicit `name`
 * (Step Functions `ErrorEquals` matches on it). The HTTP layer maps codes to statuses in one place.
 */
export interface ProblemDetail {
  /** JSON path or field name the problem is about, e.g. "contactEmail" or "sections[2].questions[0].id". */
  path: string;
  message: string;
}

/**
 * Every error code trustgate answers with: the one list (part of the API contract). The HTTP layer gives each its
 * status in shared/http/problem.ts, and the compiler refuses a code that is not here.
 */
export const ERROR_CODES = [
  // The request itself is wrong.
  'validation-failed',
  'malformed-json',
  'malformed-body',
  'unsupported-media-type',
  'payload-too-large',
  'invalid-cursor',
  'unsupported-register-query',
  'register-csv-too-large',
  'invalid-document-key',
  'invalid-mail',
  'invalid-csv',
  'invalid-answers',
  'answers-incomplete',
  'sections-unconfirmed',
  'duplicate-evidence',
  'unknown-field',
  'invalid-correction-value',
  'cuec-task-note-required',
  'finding-note-required',
  'finding-reason-required',
  'invalid-questionnaire-template',
  'risk-policy-invalid',
  'risk-acceptance-invalid',
  'rating-override-invalid',
  'scope-fit-override-invalid',
  'empty-file',
  'file-too-large',
  'upload-not-encrypted',
  // Evidence that cannot be read (shared/domain/soc2/errors.ts names these for the analyzer).
  'not-a-pdf',
  'document-encrypted',
  'document-unreadable',
  'document-too-long',
  'empty',
  'encrypted',
  'corrupt',
  'too-large',
  'timeout',
  'evidence-unreadable',
  // Who is calling.
  'unauthenticated',
  'invalid-token',
  'token-expired',
  'forbidden',
  'rate-limited',
  // What the request aims at.
  'not-found',
  'route-not-found',
  'correction-not-found',
  'portal-link-gone',
  // The state of the record does not allow it now.
  'conflict',
  'concurrent-update',
  'version-mismatch',
  'invalid-transition',
  'already-final',
  'already-submitted',
  'answers-locked',
  'answer-sheet-too-large',
  'not-open',
  'not-awaiting-vendor',
  'too-many-documents',
  'upload-incomplete',
  'workflow-not-ready',
  'task-not-waiting',
  'document-not-analyzed',
  'corrections-closed',
  'vendor-exists',
  'document-exists',
  'cuec-task-transition-not-allowed',
  'finding-transition-not-allowed',
  'scope-fit-not-assessed',
  'idempotency-in-progress',
  'idempotency-key-reused',
  // A workflow step on a cancelled assessment (the name the state machine's Cancelled catch matches).
  'assessment-cancelled',
  'assessment-open',
  'execution-exists',
  // Our side.
  'workflow-unavailable',
  'workflow-closed',
  'analyzer-unavailable',
  'storage-unavailable',
  'stored-item-invalid',
  'internal-error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);
/** False for a code that reached an error through a cast or untyped code. */
export const isErrorCode = (code: string): code is ErrorCode => KNOWN_CODES.has(code);

/** Base class of every error trustgate raises on purpose. */
export class TrustgateError extends Error {
  readonly code: ErrorCode;
  readonly details: ProblemDetail[];
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: ProblemDetail[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrustgateError';
    this.code = code;
    this.details = options?.details ?? [];
  }
}

/** Input that breaks a rule: every problem is listed at once. */
export class ValidationError extends TrustgateError {
  constructor(message: string, details: ProblemDetail[] = [], code: ErrorCode = 'validation-failed') {
    super(code, message, { details });
    this.name = 'ValidationError';
  }
}

/** The thing asked for does not exist (or is not visible to the caller). */
export class NotFoundError extends TrustgateError {
  constructor(what: string, id: string) {
    super('not-found', `${what} ${id} was not found`);
    this.name = 'NotFoundError';
  }
}

/** Someone else changed the record since it was read: the caller must re-read and retry. */
export class ConcurrentUpdateError extends TrustgateError {
  constructor(what: string, id: string, options?: { cause?: unknown }) {
    super('concurrent-update', `${what} ${id} was changed by someone else; read it again and retry`, options);
    this.name = 'ConcurrentUpdateError';
  }
}

/** The record already exists, or the request conflicts with its current state. */
export class ConflictError extends TrustgateError {
  constructor(message: string, code: ErrorCode = 'conflict') {
    super(code, message);
    this.name = 'ConflictError';
  }
}

/** No credentials, or credentials that could not be verified. */
export class UnauthenticatedError extends TrustgateError {
  constructor(message = 'A valid bearer token is required', code: ErrorCode = 'unauthenticated') {
    super(code, message);
    this.name = 'UnauthenticatedError';
  }
}

/** Verified caller without the role the action needs. */
export class ForbiddenError extends TrustgateError {
  constructor(message = 'Your role does not allow this action') {
    super('forbidden', message);
    this.name = 'ForbiddenError';
  }
}
