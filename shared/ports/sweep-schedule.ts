import type { Assessment, AssessmentStatus } from '../domain/assessment.ts';
import type { ReviewSchedule } from '../domain/review-schedule.ts';
import type { Page } from './page.ts';

/** How a vendor's sweep of one day stands: a claim a crashed run left behind can be taken over after its lease. */
export type SweepClaim = 'claimed' | 'taken-over' | 'done' | 'busy';

/**
 * The daily sweep's view of the portfolio: the vendors whose watch day has come (a sparse index, so the sweep reads
 * only those), and a marker per vendor per day that makes a re-run or a crashed run neither act twice nor skip one.
 */
export interface SweepSchedule {
  /** Schedules whose watch day is `day` or earlier, earliest first, one page at a time. */
  listSchedulesDueBy(day: string, page: { limit: number; cursor?: string }): Promise<Page<ReviewSchedule>>;
  /** Open assessments in `status`, earliest due first, due on `day` or earlier (every one when `day` is null). */
  listOpenAssessmentsDueBy(status: AssessmentStatus, day: string | null, page: { limit: number; cursor?: string }): Promise<Page<Assessment>>;
  getSchedule(vendorId: string): Promise<ReviewSchedule | null>;
  /** Moves the watch day to `watchFrom` unless the schedule changed since it was read (a new decision); false then. */
  moveWatchDay(schedule: ReviewSchedule, watchFrom: string): Promise<boolean>;
  /**
   * Claims the sweep of `vendorId` on `day` for `runId`: 'claimed' the first time, 'taken-over' when an earlier run's
   * claim is older than `leaseSeconds` and unfinished (it crashed), 'done' when finished already, 'busy' otherwise.
   */
  claimVendorSweep(claim: { vendorId: string; day: string; runId: string; at: string; leaseSeconds: number }): Promise<SweepClaim>;
  /** Marks the vendor's sweep of `day` finished. */
  finishVendorSweep(claim: { vendorId: string; day: string; runId: string; at: string }): Promise<void>;
}
