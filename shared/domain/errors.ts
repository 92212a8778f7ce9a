/**
 * Domain errors. Each has a stable `code` (part of the API contract) and an explicit `name`
 * (Step Functions `ErrorEquals` matches on it). The HTTP layer maps codes to statuses in one place.
 */
export interface ProblemDetail {
  /** JSON path or field name the problem is about, e.g. "contactEmail" or "sections[2].questions[0].id". */
  path: string;
  message: string;
}

/** Base class of every error trustgate raises on purpose. */
export class TrustgateError extends Error {
  readonly code: string;
  readonly details: ProblemDetail[];
  constructor(code: string, message: string, options?: { cause?: unknown; details?: ProblemDetail[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TrustgateError';
    this.code = code;
    this.details = options?.details ?? [];
  }
}

/** Input that breaks a rule: every problem is listed at once. */
export class ValidationError extends TrustgateError {
  constructor(message: string, details: ProblemDetail[] = [], code = 'validation-failed') {
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
  constructor(message: string, code = 'conflict') {
    super(code, message);
    this.name = 'ConflictError';
  }
}

/** No credentials, or credentials that could not be verified. */
export class UnauthenticatedError extends TrustgateError {
  constructor(message = 'A valid bearer token is required', code = 'unauthenticated') {
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
