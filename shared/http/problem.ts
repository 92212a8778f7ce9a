/** RFC 9457 problem details with a stable `code`. The one place where error codes become HTTP statuses. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isErrorCode, type ErrorCode, type ProblemDetail } from '../domain/errors.ts';

/** The HTTP status of every error code: the compiler refuses a code of ERROR_CODES without one. */
export const STATUS_BY_CODE: Record<ErrorCode, ContentfulStatusCode> = {
  'validation-failed': 400,
  'malformed-json': 400,
  'malformed-body': 400,
  'unsupported-media-type': 415,
  'payload-too-large': 413,
  'invalid-cursor': 400,
  'unsupported-register-query': 400,
  'invalid-document-key': 400,
  'invalid-mail': 400,
  'invalid-csv': 400,
  'invalid-answers': 400,
  'answers-incomplete': 400,
  'sections-unconfirmed': 400,
  'duplicate-evidence': 400,
  'unknown-field': 400,
  'invalid-correction-value': 400,
  'cuec-task-note-required': 400,
  'finding-note-required': 400,
  'finding-reason-required': 400,
  'invalid-questionnaire-template': 400,
  'risk-policy-invalid': 400,
  'risk-acceptance-invalid': 400,
  'rating-override-invalid': 400,
  'scope-fit-override-invalid': 400,
  'empty-file': 400,
  'file-too-large': 413,
  'upload-not-encrypted': 400,
  'not-a-pdf': 400,
  'document-encrypted': 400,
  'document-unreadable': 400,
  'document-too-long': 400,
  'empty': 400,
  'encrypted': 400,
  'corrupt': 400,
  'too-large': 413,
  'timeout': 422,
  'evidence-unreadable': 422,
  'unauthenticated': 401,
  'invalid-token': 401,
  'token-expired': 401,
  'forbidden': 403,
  'rate-limited': 429,
  'not-found': 404,
  'route-not-found': 404,
  'correction-not-found': 404,
  'portal-link-gone': 410,
  'conflict': 409,
  'concurrent-update': 409,
  'version-mismatch': 412,
  'invalid-transition': 409,
  'already-final': 409,
  'already-submitted': 409,
  'answers-locked': 409,
  'answer-sheet-too-large': 422,
  'register-csv-too-large': 422,
  'not-open': 409,
  'not-awaiting-vendor': 409,
  'too-many-documents': 409,
  'upload-incomplete': 409,
  'workflow-not-ready': 409,
  'assessment-open': 409,
  'assessment-cancelled': 409,
  'execution-exists': 409,
  'task-not-waiting': 409,
  'document-not-analyzed': 409,
  'corrections-closed': 409,
  'vendor-exists': 409,
  'document-exists': 409,
  'cuec-task-transition-not-allowed': 409,
  'finding-transition-not-allowed': 409,
  'scope-fit-not-assessed': 409,
  'idempotency-in-progress': 409,
  'idempotency-key-reused': 422,
  'workflow-unavailable': 503,
  'workflow-closed': 503,
  'analyzer-unavailable': 503,
  'storage-unavailable': 503,
  'stored-item-invalid': 500,
  'internal-error': 500,
};

/**
 * The status of an error's code. A code outside the list can only arrive through a cast or untyped code: that is
 * our defect, not the caller's, so it answers 500.
 */
export function statusFor(error: { code: string }): ContentfulStatusCode {
  return isErrorCode(error.code) ? STATUS_BY_CODE[error.code] : 500;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  instance?: string;
  errors?: ProblemDetail[];
}

export function problemBody(status: number, code: ErrorCode, title: string, detail?: string, errors?: ProblemDetail[], instance?: string): Problem {
  return {
    type: `urn:trustgate:problem:${code}`,
    title,
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(instance ? { instance } : {}),
    ...(errors && errors.length ? { errors } : {}),
  };
}

export function problem(c: Context, status: ContentfulStatusCode, code: ErrorCode, title: string, detail?: string, errors?: ProblemDetail[]): Response {
  return c.body(JSON.stringify(problemBody(status, code, title, detail, errors, c.req.path)), status, { 'content-type': 'application/problem+json' });
}

/** zod issues → problem details naming the field. */
export function zodIssuesToDetails(issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[], prefix = ''): ProblemDetail[] {
  return issues.flatMap((issue) => {
    const base = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((k) => ({ path: [base, k].filter(Boolean).join('.'), message: 'unknown field' }));
    }
    return [{ path: base || '(body)', message: issue.message }];
  });
}
