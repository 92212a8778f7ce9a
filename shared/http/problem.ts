/** RFC 9457 problem details with a stable `code`. The one place where error codes become HTTP statuses. */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ProblemDetail } from '../domain/errors.ts';

/** Status for each error code; unknown codes of a known error class fall back by class (see statusFor). */
export const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  'validation-failed': 400,
  'invalid-cursor': 400,
  'invalid-document-key': 400,
  'invalid-mail': 400,
  'malformed-json': 400,
  'unknown-field': 400,
  'invalid-correction-value': 400,
  'unauthenticated': 401,
  'invalid-token': 401,
  'token-expired': 401,
  'forbidden': 403,
  'not-found': 404,
  'route-not-found': 404,
  'method-not-allowed': 405,
  'conflict': 409,
  'invalid-transition': 409,
  'already-final': 409,
  'already-submitted': 409,
  'answers-locked': 409,
  'not-open': 409,
  'not-awaiting-vendor': 409,
  'too-many-documents': 409,
  'workflow-not-ready': 409,
  'assessment-open': 409,
  'assessment-cancelled': 409,
  'execution-exists': 409,
  'task-not-waiting': 409,
  'document-not-analyzed': 409,
  'corrections-closed': 409,
  'correction-not-found': 404,
  'portal-link-gone': 410,
  'answers-incomplete': 400,
  'empty-file': 400,
  'not-a-pdf': 400,
  'file-too-large': 413,
  'workflow-unavailable': 503,
  'analyzer-unavailable': 503,
  'vendor-exists': 409,
  'document-exists': 409,
  'concurrent-update': 409,
  'version-mismatch': 412,
  'payload-too-large': 413,
  'rate-limited': 429,
  'idempotency-in-progress': 409,
  'idempotency-key-reused': 422,
  'unsupported-media-type': 415,
  'storage-unavailable': 503,
  'internal-error': 500,
};

const CLASS_STATUS: Record<string, ContentfulStatusCode> = {
  ValidationError: 400,
  UnauthenticatedError: 401,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ConcurrentUpdateError: 409,
};

export function statusFor(error: { code: string; name: string }): ContentfulStatusCode {
  return STATUS_BY_CODE[error.code] ?? CLASS_STATUS[error.name] ?? 400;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  errors?: ProblemDetail[];
}

export function problemBody(status: number, code: string, title: string, detail?: string, errors?: ProblemDetail[], instance?: string): Problem {
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

export function problem(c: Context, status: ContentfulStatusCode, code: string, title: string, detail?: string, errors?: ProblemDetail[]): Response {
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
