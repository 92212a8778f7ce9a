/**
 * Labelled corpus cases: a PDF `<case>.pdf` beside `labels.json`, which maps each case name to its label, the facts a
 * reader states for that document in the field names of `trustgate analyze --json` (the format of the analyzer's
 * development and held-out sets). A corrected analysis becomes a label, so that every human fix becomes a
 * regression test.
 */
import { z } from 'zod';
import { CRITERION_ID_PATTERN } from './questionnaire/trust-services-criteria.ts';
import { dayNumber } from './risk/calendar.ts';
import type { CorrectableAnalysis } from './analysis-corrections.ts';
import { documentKinds, trustServicesCategories } from './soc2/types.ts';

/** Case names are kebab-case words (they name the PDF file): e.g. "acme-soc2-type2-2025". */
export const CASE_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_CASE_NAME = 100;

export function isCaseName(name: string): boolean {
  return name.length <= MAX_CASE_NAME && CASE_NAME.test(name);
}

/** A case name from free text (a file name, a vendor): lower case, dashes, at most MAX_CASE_NAME characters. */
export function toCaseName(text: string): string {
  const name = text.toLowerCase().replace(/\.pdf$/, '').replace(/[^a-z0-9]+/g, '-').slice(0, MAX_CASE_NAME).replace(/^-+|-+$/g, '');
  return name || 'case';
}

const isoDate = z.string().refine((d) => dayNumber(d) !== null, { error: 'a calendar date written YYYY-MM-DD' });

/** One label as `labels.json` holds it. A field that cannot be read from the document is left out. */
export const corpusLabelSchema = z
  .object({
    documentKind: z.enum(documentKinds),
    reportType: z.enum(['type1', 'type2']).nullable(),
    serviceOrganization: z.string().min(1).nullable(),
    serviceAuditor: z.string().min(1).nullable(),
    period: z.object({ start: isoDate.nullable(), end: isoDate }).strict().nullable(),
    opinion: z.enum(['unqualified', 'qualified', 'adverse', 'disclaimer']).nullable(),
    /** Sorted alphabetically (the scorer compares a sorted list). */
    trustServicesCategories: z.array(z.enum(trustServicesCategories)),
    subserviceOrganizations: z.array(z.object({ name: z.string().min(1), method: z.enum(['carve-out', 'inclusive']) }).strict()),
    /** One criterion per testing exception; [] when tests of controls exist and none failed; null when there are none. */
    exceptionCriteria: z.array(z.string().regex(new RegExp(`^${CRITERION_ID_PATTERN}$`), { error: 'a trust services criterion id' })).nullable(),
    textLayer: z.boolean(),
  })
  .partial()
  .required({ documentKind: true })
  .strict();
export type CorpusLabel = z.infer<typeof corpusLabelSchema>;

/** The label of an (effective) analysis, with a warning for every fact that a label cannot carry. */
export function corpusLabelOf(analysis: CorrectableAnalysis): { label: CorpusLabel; warnings: string[] } {
  const warnings: string[] = [];
  const exceptions = analysis.exceptions;
  const unlabelled = (exceptions ?? []).filter((e) => e.criteria.length === 0);
  if (unlabelled.length) warnings.push(`${unlabelled.length} exception(s) name no criterion; the label lists only the ${(exceptions?.length ?? 0) - unlabelled.length} that do`);
  return {
    label: {
      documentKind: analysis.documentKind,
      reportType: analysis.reportType,
      serviceOrganization: analysis.serviceOrganization,
      serviceAuditor: analysis.serviceAuditor,
      period: analysis.period ? { start: analysis.period.start, end: analysis.period.end } : null,
      opinion: analysis.opinion,
      trustServicesCategories: [...analysis.trustServicesCategories].sort(),
      subserviceOrganizations: analysis.subserviceOrganizations.map((s) => ({ name: s.name, method: s.method })),
      exceptionCriteria: exceptions === null ? null : exceptions.flatMap((e) => (e.criteria[0] ? [e.criteria[0]] : [])),
      textLayer: analysis.textLayer,
    },
    warnings,
  };
}
