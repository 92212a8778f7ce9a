/**
 * An audit verification job as stored and as the API answers it: one schema for both (the adapter checks items read
 * back against it; the routes describe their answers with it).
 */
import { z } from 'zod';
import { AUDIT_TARGET_TYPES } from './audit.ts';

export const AUDIT_VERIFICATION_JOB_SCHEMA_VERSION = 1;

export const auditVerificationJobSchema = z
  .object({
    id: z.string(),
    mode: z.enum(['incremental', 'full']),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    requestedBy: z.string(),
    requestedAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
    report: z
      .object({
        ok: z.boolean(),
        chains: z.number().int(),
        events: z.number().int(),
        problems: z.array(z.object({ target: z.object({ type: z.enum(AUDIT_TARGET_TYPES), id: z.string() }), seq: z.number().nullable(), eventId: z.string().nullable(), problem: z.string(), detail: z.string() })),
      })
      .nullable(),
    error: z.string().nullable(),
    version: z.number().int(),
  })
  .strict();
