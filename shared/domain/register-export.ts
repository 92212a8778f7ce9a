/**
 * A CSV export of the risk register as a job (issue 15): the file is written to the document store page by page and
 * fetched through a short-lived signed link, so a portfolio of any size downloads in AWS too, where an API answer
 * cannot exceed 6 MB (API Gateway and Lambda buffer it). The direct `GET /api/risk-register?format=csv` stays for
 * registers that fit.
 */
import { z } from 'zod';
import { RISK_RATINGS } from './risk/risk-policy.ts';
import { REGISTER_SORTS } from './risk-register.ts';

export const REGISTER_EXPORT_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RegisterExportStatus = (typeof REGISTER_EXPORT_STATUSES)[number];

/** The register's filters and order, as `GET /api/risk-register` takes them. */
export const registerExportQuerySchema = z
  .object({
    rating: z.enum([...RISK_RATINGS, 'unrated']).optional(),
    tier: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    overdue: z.boolean().optional(),
    sort: z.enum(REGISTER_SORTS).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();
export type RegisterExportQuery = z.infer<typeof registerExportQuerySchema>;

export const registerExportJobSchema = z
  .object({
    id: z.string(),
    status: z.enum(REGISTER_EXPORT_STATUSES),
    query: registerExportQuerySchema,
    requestedBy: z.string(),
    requestedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    /** The file's name when downloaded (risk-register-YYYY-MM-DD.csv, the day it was asked for). */
    fileName: z.string(),
    /** Where the file is in the document store, once written. */
    documentKey: z.string().nullable(),
    /** Vendor lines in the file (the header not counted) and its size, once written. */
    lines: z.number().int().nullable(),
    bytes: z.number().int().nullable(),
    error: z.string().nullable(),
    version: z.number().int(),
  })
  .strict();
export type RegisterExportJob = z.infer<typeof registerExportJobSchema>;

/** How long a finished export can be downloaded; the store's lifecycle removes the file after a day (infra). */
export const REGISTER_EXPORT_KEEP_HOURS = 24;
/** How long one signed download link works. */
export const REGISTER_EXPORT_LINK_SECONDS = 300;

export const registerExportKey = (id: string) => `exports/register/${id}.csv`;
/** The file's name: what it holds and the day, like risk-register-tier-2-overdue-reviews-2026-12-01.csv. */
export const registerExportFileName = (day: string, query: Partial<Pick<RegisterExportQuery, 'rating' | 'tier' | 'overdue'>> = {}) =>
  `risk-register-${[query.rating ? `${query.rating}-rating` : null, query.tier ? `tier-${query.tier}` : null, query.overdue ? 'overdue-reviews' : null, day].filter(Boolean).join('-')}.csv`;

/** Whether a finished export's file is still kept (asked for less than REGISTER_EXPORT_KEEP_HOURS ago). */
export const registerExportKept = (job: RegisterExportJob, now: Date) => Date.parse(job.requestedAt) + REGISTER_EXPORT_KEEP_HOURS * 3_600_000 > now.getTime();
