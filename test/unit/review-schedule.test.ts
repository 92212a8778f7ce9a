/** When the daily sweep looks at a vendor again (shared/domain/review-schedule.ts). */
import { describe, expect, it } from 'vitest';
import { nextWatchDay, scheduleFromDecision } from '../../shared/domain/review-schedule.ts';

describe('the watch day of a review schedule', () => {
  it('is the decision day for a fresh schedule', () => {
    expect(scheduleFromDecision({ vendorId: 'v', assessmentId: 'a', nextReviewDate: '2028-01-01', decidedOn: '2027-01-01' }).watchFrom).toBe('2027-01-01');
  });

  it('moves to the start of the notice window while the review is further away', () => {
    expect(nextWatchDay({ nextReviewDate: '2028-01-31' }, '2027-01-01')).toBe('2028-01-01');
  });

  it('moves to the review day once inside the notice window', () => {
    expect(nextWatchDay({ nextReviewDate: '2028-01-31' }, '2028-01-01')).toBe('2028-01-31');
  });

  it('moves 30 days on once the review is due, never to today or earlier', () => {
    expect(nextWatchDay({ nextReviewDate: '2028-01-31' }, '2028-01-31')).toBe('2028-03-01');
    expect(nextWatchDay({ nextReviewDate: '2027-06-01' }, '2028-01-31')).toBe('2028-03-01');
  });
});
