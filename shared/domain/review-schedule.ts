/**
 * A vendor's review schedule as the daily sweep reads it: the next review date of its latest decided assessment and
 * the day the sweep looks at the vendor next (`watchFrom`). Only vendors whose watch day has come are read by the
 * sweep, so each vendor is looked at a few times per review cycle instead of every day.
 */
import { z } from 'zod';
import { addDays } from './assessment.ts';

export interface ReviewSchedule {
  vendorId: string;
  /** The decided assessment the date comes from. */
  assessmentId: string;
  nextReviewDate: string;
  /** The first day the sweep looks at this vendor again (YYYY-MM-DD). */
  watchFrom: string;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** The stored schedule, checked when read back (version REVIEW_SCHEDULE_SCHEMA_VERSION). */
export const reviewScheduleSchema = z.object({ vendorId: z.string().min(1), assessmentId: z.string().min(1), nextReviewDate: day, watchFrom: day }).strict();
export const REVIEW_SCHEDULE_SCHEMA_VERSION = 1;

/** Days before evidence goes stale that procurement is told. */
export const NOTICE_DAYS = 30;
/** A reassessment gives the vendor this long to answer. */
export const REASSESSMENT_DUE_DAYS = 30;

/**
 * A fresh schedule from a decision: the sweep looks the day it is written (a bridge letter whose coverage lapses
 * soon, evidence already stale at the decision), then as `nextWatchDay` says.
 */
export function scheduleFromDecision(input: { vendorId: string; assessmentId: string; nextReviewDate: string; decidedOn: string }): ReviewSchedule {
  return { vendorId: input.vendorId, assessmentId: input.assessmentId, nextReviewDate: input.nextReviewDate, watchFrom: input.decidedOn };
}

/**
 * The day after `today` on which the sweep must look again: the start of the notice window before the review, the
 * review day itself, or (once due, with a reassessment started or under way) its answer period later, in case that
 * reassessment ended without a new decision (cancelled) and the vendor is due still.
 */
export function nextWatchDay(schedule: Pick<ReviewSchedule, 'nextReviewDate'>, today: string): string {
  const noticeFrom = addDays(schedule.nextReviewDate, -NOTICE_DAYS);
  if (today < noticeFrom) return noticeFrom;
  if (today < schedule.nextReviewDate) return schedule.nextReviewDate;
  return addDays(today, REASSESSMENT_DUE_DAYS);
}
