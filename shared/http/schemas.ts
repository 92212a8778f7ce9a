/** OpenAPI-documented shapes of responses and shared parameters. */
import { z } from '@hono/zod-openapi';
import { CRITICALITIES, DATA_CLASSIFICATIONS, DATA_TYPES, RECORD_VOLUMES, SYSTEM_ACCESS_LEVELS, VENDOR_STATUSES } from '../domain/vendor.ts';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: 'Stable machine-readable error code' }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

export const problemResponse = (description: string) => ({ content: { 'application/problem+json': { schema: problemSchema } }, description });

export const commonProblems = {
  400: problemResponse('Invalid request: the errors name each field'),
  401: problemResponse('No valid bearer token'),
  403: problemResponse('The role does not allow this'),
  413: problemResponse('Body too large'),
  415: problemResponse('Body is not JSON'),
} as const;

export const idParamSchema = z.object({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'an id is 1-64 letters, digits, dashes or underscores' })
    .openapi({ param: { name: 'id', in: 'path' }, example: '6f1c2b0e-0d5e-4a57-9d8e-2d6a1f1b9a43' }),
});

export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ description: 'Page size, 1-100' }),
  cursor: z.string().max(2048).optional().openapi({ description: 'nextCursor of the previous page' }),
};

const contributionSchema = z.object({ factor: z.string(), value: z.string(), points: z.number(), reason: z.string() });

export const vendorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    website: z.string(),
    contactEmail: z.string(),
    contactName: z.string().nullable(),
    description: z.string().nullable(),
    criticality: z.enum(CRITICALITIES),
    dataClassification: z.enum(DATA_CLASSIFICATIONS),
    services: z.array(z.string()),
    dataTypes: z.array(z.enum(DATA_TYPES)),
    systemAccess: z.enum(SYSTEM_ACCESS_LEVELS),
    recordVolume: z.enum(RECORD_VOLUMES),
    businessOwner: z.string().nullable(),
    status: z.enum(VENDOR_STATUSES),
    inherentRisk: z.object({
      score: z.number(),
      tier: z.number().int().min(1).max(4),
      rubricVersion: z.string(),
      tierReason: z.string(),
      contributions: z.array(contributionSchema),
    }),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    createdBy: z.string(),
  })
  .openapi('Vendor');

export const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    target: z.object({ type: z.string(), id: z.string() }),
    targetVersion: z.number().int().nullable(),
    summary: z.string(),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).nullable(),
  })
  .openapi('AuditEvent');

export const pageOf = <T extends z.ZodTypeAny>(item: T, name: string) => z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

export const assessmentSchema = z
  .object({
    id: z.string(),
    vendorId: z.string(),
    vendorName: z.string(),
    vendorTier: z.number().int(),
    templates: z.array(z.object({ id: z.string(), version: z.string() })),
    dueDate: z.string(),
    requestedBy: z.string(),
    contactEmail: z.string(),
    status: z.string(),
    attentionReason: z.string().nullable(),
    reminders: z.object({ sent: z.number(), escalated: z.boolean(), overdue: z.boolean() }),
    submittedAt: z.string().nullable(),
    round: z.number(),
    lastDecision: z.unknown(),
    changesRequested: z.string().nullable(),
    nextReviewDate: z.string().nullable(),
    bridgeLetterRequested: z.boolean(),
    version: z.number(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Assessment');

export const assessmentViewSchema = z
  .object({
    assessment: assessmentSchema,
    answers: z.unknown(),
    documents: z.array(z.unknown()),
    timeline: z.array(auditEventSchema),
    waitingAt: z.string().nullable(),
  })
  .openapi('AssessmentView');

/** A JSON request body of this schema (required). */
export const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });
/** A JSON response of this schema. */
export const jsonResponse = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
