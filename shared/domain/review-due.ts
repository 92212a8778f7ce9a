/**
 * When a vendor's next review counts as overdue, in one leaf module that imports nothing (so the pages' bundle can
 * import it without zod): the review day itself counts, as the daily sweep starts the reassessment on that day and
 * the register's `overdue=true` filter reads dates up to today.
 */

/** Whether the review dated `nextReviewDate` (YYYY-MM-DD) is overdue on `today`; no date: never. */
export const isReviewOverdue = (nextReviewDate: string | null | undefined, today: string): boolean => typeof nextReviewDate === 'string' && nextReviewDate !== '' && nextReviewDate <= today;
