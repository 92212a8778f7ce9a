/** Error codes: one typed list, each code with its HTTP status; a code outside the list is our defect (500). */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, TrustgateError, type ErrorCode } from '../../shared/domain/errors.ts';
import { unreadableCodes } from '../../shared/domain/soc2/errors.ts';
import { STATUS_BY_CODE, statusFor } from '../../shared/http/problem.ts';

describe('error codes', () => {
  it('gives a status to exactly the codes of the list', () => {
    expect(Object.keys(STATUS_BY_CODE).sort()).toEqual([...ERROR_CODES].sort());
  });

  it('lists each code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('lists the analyzer’s unreadable-document codes', () => {
    for (const code of unreadableCodes) expect(ERROR_CODES).toContain(code);
  });

  it('answers 500 for a code outside the list, whatever the error class', () => {
    const stray = new TrustgateError('no-such-code' as ErrorCode, 'raised with a cast');
    expect(statusFor(stray)).toBe(500);
    expect(statusFor({ code: 'toString' })).toBe(500);
  });

  it('answers a listed code with its status', () => {
    expect(statusFor(new TrustgateError('portal-link-gone', 'gone'))).toBe(410);
  });
});
