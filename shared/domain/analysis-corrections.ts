/**
 * Corrections of extracted report facts. Security fixes a field the analyzer read wrong; the analysis stays exactly
 * as extracted, and the effective analysis (what the risk model, the review page and the corpus export read) is the
 * analysis with the corrections applied. Pure: who and when are arguments.
 *
 * Lives beside the analyzer rather than inside `soc2/`, whose modules import nothing but each other (zod validates
 * the values here).
 */
import { z } from 'zod';
import { ConflictError, TrustgateError, ValidationError } from './errors.ts';
import { CRITERION_ID_PATTERN } from './questionnaire/trust-services-criteria.ts';
import { dayNumber } from './risk/calendar.ts';
import { documentKinds, trustServicesCategories, type ReportAnalysis, type TrustServicesCategory } from './soc2/types.ts';

/** The analysis, with the fields the analyzer is about to gain (optional until it has them). */
export type CorrectableAnalysis = ReportAnalysis & { systemName?: string | null };

const isoDate = z.string().refine((d) => dayNumber(d) !== null, { error: 'a calendar date written YYYY-MM-DD' });
const partyName = z.string().trim().min(1, { error: 'empty: send null for "not stated"' }).max(300);
const text = (max: number) => z.string().trim().min(1).max(max);
const criterion = z.string().regex(new RegExp(`^${CRITERION_ID_PATTERN}$`), { error: 'a trust services criterion id, e.g. CC6.1' });

const period = z
  .object({ start: isoDate.nullable(), end: isoDate })
  .strict()
  .refine((p) => p.start === null || p.start <= p.end, { error: 'the period starts on or before its end', path: ['start'] });

const categories = z
  .array(z.enum(trustServicesCategories))
  .max(trustServicesCategories.length * 2)
  .transform((list): TrustServicesCategory[] => trustServicesCategories.filter((c) => list.includes(c)));

const subserviceOrganization = z
  .object({ name: partyName, method: z.enum(['carve-out', 'inclusive']), services: text(1000).nullable().default(null) })
  .strict();

const controlException = z
  .object({
    controlId: text(64).nullable().default(null),
    criteria: z.array(criterion).max(20).default([]),
    description: text(4000),
    managementResponse: text(4000).nullable().default(null),
    page: z.number().int().min(1).max(100_000),
  })
  .strict();

/**
 * Every field security may correct, with the schema its value must match. This is the one list: a field added here
 * is correctable through the API and the review page and appears in the audit trail (its value type must fit the
 * analysis field it replaces; the type below checks that).
 */
export const CORRECTION_SCHEMAS = {
  documentKind: z.enum(documentKinds),
  reportType: z.enum(['type1', 'type2']).nullable(),
  serviceOrganization: partyName.nullable(),
  serviceAuditor: partyName.nullable(),
  systemName: partyName.nullable(),
  period: period.nullable(),
  opinion: z.enum(['unqualified', 'qualified', 'adverse', 'disclaimer']).nullable(),
  trustServicesCategories: categories,
  subserviceOrganizations: z.array(subserviceOrganization).max(200),
  exceptions: z.array(controlException).max(500).nullable(),
  complementaryUserEntityControls: z.array(text(4000)).max(500),
} as const;

export type CorrectableField = keyof typeof CORRECTION_SCHEMAS;
export const CORRECTABLE_FIELDS = Object.keys(CORRECTION_SCHEMAS) as CorrectableField[];

type FitsAnalysis<T extends { [F in keyof T]: F extends keyof CorrectableAnalysis ? CorrectableAnalysis[F] : never }> = T;
/** The value of each correctable field once validated: always assignable to the analysis field it replaces. */
export type CorrectionValues = FitsAnalysis<{ [F in CorrectableField]: z.output<(typeof CORRECTION_SCHEMAS)[F]> }>;

/** Why a correction was made: required, one paragraph at most. */
export const correctionReasonSchema = z.string().trim().min(1, { error: 'say why the analyzer was wrong' }).max(2000);

/** One corrected field: its new value, why, who and when. */
export type FieldCorrection = {
  [F in CorrectableField]: { field: F; value: CorrectionValues[F]; reason: string; correctedBy: string; correctedAt: string };
}[CorrectableField];

/** The path names a field that is not correctable. */
export class UnknownFieldError extends TrustgateError {
  constructor(field: string) {
    super('unknown-field', `"${field}" is not a correctable field`, { details: [{ path: 'field', message: `one of: ${CORRECTABLE_FIELDS.join(', ')}` }] });
    this.name = 'UnknownFieldError';
  }
}

/** The value does not fit the field. */
export class InvalidCorrectionError extends ValidationError {
  constructor(field: string, details: { path: string; message: string }[]) {
    super(`The value is not a valid ${field}`, details, 'invalid-correction-value');
    this.name = 'InvalidCorrectionError';
  }
}

/** Reverting a field that carries no correction. */
export class CorrectionNotFoundError extends TrustgateError {
  constructor(field: string) {
    super('correction-not-found', `${field} is not corrected`);
    this.name = 'CorrectionNotFoundError';
  }
}

export function isCorrectableField(field: string): field is CorrectableField {
  return Object.hasOwn(CORRECTION_SCHEMAS, field);
}

/** The field name, or UnknownFieldError. */
export function requireCorrectableField(field: string): CorrectableField {
  if (!isCorrectableField(field)) throw new UnknownFieldError(field);
  return field;
}

/** A validated correction (the value normalized: trimmed, categories in canonical order, defaults filled in). */
export function parseCorrection(input: { field: string; value: unknown; reason: string }, by: { correctedBy: string; correctedAt: string }): FieldCorrection {
  const field = requireCorrectableField(input.field);
  const result = CORRECTION_SCHEMAS[field].safeParse(input.value);
  if (!result.success) {
    throw new InvalidCorrectionError(field, result.error.issues.map((i) => ({ path: ['value', ...i.path.map(String)].join('.'), message: i.message })));
  }
  const reason = correctionReasonSchema.safeParse(input.reason);
  if (!reason.success) throw new ValidationError('A correction needs a reason', reason.error.issues.map((i) => ({ path: 'reason', message: i.message })));
  return { field, value: result.data, reason: reason.data, ...by } as FieldCorrection;
}

/** The correction in force for each field: the latest (by time, then by position) supersedes earlier ones. */
export function latestCorrections(corrections: readonly FieldCorrection[]): Map<CorrectableField, FieldCorrection> {
  const latest = new Map<CorrectableField, FieldCorrection>();
  for (const c of corrections) {
    const held = latest.get(c.field);
    if (!held || c.correctedAt >= held.correctedAt) latest.set(c.field, c);
  }
  return latest;
}

/**
 * The effective analysis: each corrected field replaced by its corrected value. The original is not touched. A
 * corrected field's evidence quote is dropped, because it backs the value the analyzer read, not the corrected one.
 */
export function applyCorrections(analysis: ReportAnalysis, corrections: readonly FieldCorrection[]): CorrectableAnalysis {
  const latest = latestCorrections(corrections);
  if (latest.size === 0) return analysis;
  const evidence = { ...analysis.evidence };
  // A corrected field was read by a person: its confidence says so, whatever the analyzer thought of it.
  const confidence = { ...(analysis.confidence ?? {}) };
  const effective: Record<string, unknown> = { ...analysis, evidence, confidence };
  for (const c of latest.values()) {
    effective[c.field] = structuredClone(c.value);
    delete evidence[c.field];
    confidence[c.field] = { level: 'high', reason: `corrected by ${c.correctedBy} on ${c.correctedAt.slice(0, 10)}: ${c.reason}` };
  }
  return effective as unknown as CorrectableAnalysis;
}

/** The corrections with `correction` in force for its field (the one it supersedes is dropped). */
export function withCorrection(corrections: readonly FieldCorrection[], correction: FieldCorrection): FieldCorrection[] {
  return [...corrections.filter((c) => c.field !== correction.field), correction];
}

/** The corrections without the one of `field` (the field goes back to what the analyzer read), or CorrectionNotFoundError. */
export function withoutCorrection(corrections: readonly FieldCorrection[], field: CorrectableField): FieldCorrection[] {
  if (!corrections.some((c) => c.field === field)) throw new CorrectionNotFoundError(field);
  return corrections.filter((c) => c.field !== field);
}

/** The value of a field in an analysis (null when the analyzer does not produce the field yet). */
export function fieldValue(analysis: CorrectableAnalysis, field: CorrectableField): unknown {
  return analysis[field] ?? null;
}

/** Statuses in which the facts are settled: decided or cancelled, or being scored by the workflow right now. */
const CLOSED_STATUSES = ['analyzing', 'approved', 'approved-with-conditions', 'rejected', 'cancelled'] as const;

/** Corrections are taken until the assessment is decided, except while the workflow is analyzing and scoring. */
export function assertCorrectionsOpen(status: string): void {
  if ((CLOSED_STATUSES as readonly string[]).includes(status)) {
    throw new ConflictError(
      status === 'analyzing' ? 'The evidence is being analyzed and scored; correct it once the assessment waits for review' : `The assessment is ${status}: its facts can no longer be corrected`,
      'corrections-closed',
    );
  }
}
