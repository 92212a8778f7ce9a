/** Calendar arithmetic on "YYYY-MM-DD" dates, in UTC days. Pure: "today" is always an argument. */
import { z } from 'zod';
import { ValidationError } from '../errors.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** The average month of the Gregorian calendar, used to express day counts in months. */
export const DAYS_PER_MONTH = 365.2425 / 12;

/** Days since 1970-01-01 of a real calendar date written YYYY-MM-DD, or null when it is not one. */
export function dayNumber(date: string): number | null {
  const match = ISO_DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return ms / DAY_MS;
}

/** A real calendar date written YYYY-MM-DD (2027-02-30 and 2027-13-45 are refused): the one schema for date inputs. */
export const calendarDate = (message = 'a calendar date written YYYY-MM-DD') =>
  z
    .string()
    .regex(ISO_DATE, { message })
    .refine((date) => dayNumber(date) !== null, { message });

/** Like dayNumber, but a malformed date is a ValidationError naming the field. */
export function requireDayNumber(date: string, field: string): number {
  const day = dayNumber(date);
  if (day === null) throw new ValidationError(`${field} must be a date written YYYY-MM-DD`, [{ path: field, message: 'must be a date written YYYY-MM-DD' }]);
  return day;
}

/** The YYYY-MM-DD date of a day number. */
export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The date `days` days after `date`. */
export function addDays(date: string, days: number): string {
  return isoOfDay(requireDayNumber(date, 'date') + days);
}

/** The same day `months` calendar months later, clamped to the month's last day (2024-01-31 + 1 → 2024-02-29). */
export function addMonths(date: string, months: number): string {
  requireDayNumber(date, 'date');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return isoOfDay(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d, lastDay)) / DAY_MS);
}

/** The date part of an ISO timestamp or date ("2026-11-23T10:00:00Z" → "2026-11-23"). */
export function datePart(timestamp: string): string {
  return timestamp.slice(0, 10);
}

/**
 * The day a SOC 2 report becomes stale: `staleAfterMonths` (the policy's `assurance.staleness`) after its period end.
 * The one rule the review planner and the pages use.
 */
export const soc2StaleOn = (periodEnd: string, staleAfterMonths: number): string => addMonths(periodEnd, staleAfterMonths);
