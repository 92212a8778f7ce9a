import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDateRanges, findShortDateRanges, parseDate, periodStartFromLength } from '../../shared/domain/soc2/dates.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

describe('parseDate', () => {
  it('reads "Month D, YYYY"', () => {
    expect(parseDate('March 31, 2025')).toBe('2025-03-31');
  });

  it('reads "D Month YYYY"', () => {
    expect(parseDate('1 May 2019')).toBe('2019-05-01');
  });

  it('reads abbreviated months with a full stop', () => {
    expect(parseDate('Sept. 30, 2024')).toBe('2024-09-30');
  });

  it('reads US numeric dates month first', () => {
    expect(parseDate('07/01/2024')).toBe('2024-07-01');
  });

  it('reads numeric dates day first when the first number cannot be a month', () => {
    expect(parseDate('31/03/2025')).toBe('2025-03-31');
  });

  it('rejects impossible dates', () => {
    expect(parseDate('February 30, 2024')).toBeNull();
  });

  it('round-trips every valid date written in each format', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1995-01-01T00:00:00Z'), max: new Date('2090-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 2 }), (date, style) => {
        const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        const written = style === 0 ? `${MONTHS[m - 1]} ${d}, ${y}` : style === 1 ? `${d} ${MONTHS[m - 1]} ${y}` : `${String(m).padStart(2, '0')}/${String(d).padStart(2, '0')}/${y}`;
        expect(parseDate(written)).toBe(date.toISOString().slice(0, 10));
      }),
    );
  });
});

describe('findDateRanges', () => {
  it.each([
    ['throughout the period April 1, 2024 to March 31, 2025', '2024-04-01', '2025-03-31'],
    ['For the Period 1 May 2019 to 30 April 2020', '2019-05-01', '2020-04-30'],
    ['April 1, 2019 - September 30, 2019', '2019-04-01', '2019-09-30'],
    ['October 1, 2016 – March 31, 2017', '2016-10-01', '2017-03-31'],
    ['during the period January 1, 2024 through December 31, 2024', '2024-01-01', '2024-12-31'],
    ['07/01/2024 – 06/30/2025', '2024-07-01', '2025-06-30'],
  ])('finds the range in "%s"', (text, start, end) => {
    expect(findDateRanges(text)[0]).toMatchObject({ start, end });
  });

  it('ignores a "range" whose end is before its start', () => {
    expect(findDateRanges('March 31, 2025 to April 1, 2024')).toEqual([]);
  });
});

describe('periodStartFromLength', () => {
  it('gives the first day of a twelve-month period ended on a month end', () => {
    expect(periodStartFromLength('2025-03-31', 12)).toBe('2024-04-01');
  });

  it('gives the first day of a six-month period ended on June 30', () => {
    expect(periodStartFromLength('2024-06-30', 6)).toBe('2024-01-01');
  });
});

describe('findShortDateRanges', () => {
  it('gives the first date the year of the second in "April 1 to September 30, 2024"', () => {
    expect(findShortDateRanges('for the period April 1 to September 30, 2024')[0]).toMatchObject({ start: '2024-04-01', end: '2024-09-30' });
  });

  it('steps back a year when the range crosses New Year ("1 October to 31 March 2025")', () => {
    expect(findShortDateRanges('the period 1 October to 31 March 2025')[0]).toMatchObject({ start: '2024-10-01', end: '2025-03-31' });
  });
});
