import { describe, expect, it } from 'vitest';
import { parseExceptionRate } from '../../shared/domain/risk/exception-rate.ts';

describe('parseExceptionRate', () => {
  it.each([
    ['For 2 of 25 terminated users, access was removed late.', { failures: 2, sample: 25 }],
    ['two of 25 samples lacked approval', { failures: 2, sample: 25 }],
    ['Exceptions were noted in 3/40 changes.', { failures: 3, sample: 40 }],
    ['1 out of 60 new hires had no background check', { failures: 1, sample: 60 }],
    ['For a sample of 25 of 61 terminated users, 2 of 25 were removed late.', { failures: 2, sample: 25 }],
    ['Twenty-five of 60 tickets had no approval', { failures: 25, sample: 60 }],
    ['one (1) of the 40 changes was not tested', { failures: 1, sample: 40 }],
  ])('reads %j', (text, expected) => {
    expect(parseExceptionRate(text)).toEqual(expected);
  });

  it.each([
    ['Exception noted.'],
    ['Tested on 06/30/2025 with no sample stated.'],
    ['The system is monitored 24/7.'],
    ['For a sample of 25 of 61 users, access was removed late.'],
  ])('finds no rate in %j', (text) => {
    expect(parseExceptionRate(text)).toBeNull();
  });
});
