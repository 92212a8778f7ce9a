/**
 * The questionnaire template format: one zod schema, from which the TypeScript types and the published
 * `questionnaires/schema.json` are derived. Semantic rules the schema cannot express (unique ids, `when`
 * references, tips on risky answers) live in parse-template.ts.
 */
import { z } from 'zod';
import { TSC_CRITERIA_IDS } from './trust-services-criteria.ts';

import { SEVERITIES } from './severity.ts';

export { SEVERITIES, type Severity } from './severity.ts';

export const QUESTION_TYPES = ['yes-no', 'single-choice', 'multiple-choice', 'text', 'number', 'date', 'file'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

const slug = (what: string) =>
  z
    .string()
    .regex(SLUG, { error: `${what} must be lower-case letters, digits and single hyphens (kebab-case)` })
    .max(80)
    .describe(`${what}: kebab-case, unique`);

const criterionId = z.enum(TSC_CRITERIA_IDS as [string, ...string[]], {
  error: (issue) => `unknown Trust Services Criteria id ${JSON.stringify(issue.input)}; expected an id such as CC6.1, A1.2, C1.1, PI1.3 or P4.1`,
});

const nonEmptyText = (max: number) => z.string().trim().min(1, { error: 'must not be empty' }).max(max);

/** Shown to the vendor when an answer implies risk; also the "why it matters" of the finding it raises. */
export const tipSchema = z
  .strictObject({
    severity: z.enum(SEVERITIES),
    whyItMatters: nonEmptyText(1000),
    guidance: nonEmptyText(1000).optional().describe('What a good answer or a compensating control looks like'),
  })
  .describe('Vendor-facing tip shown when the answer implies risk');

export const optionSchema = z.strictObject({
  id: slug('option id'),
  label: nonEmptyText(300),
  risk: z.number().min(0).max(1).default(0).describe('0 = no risk … 1 = the control is absent'),
  tip: tipSchema.optional(),
});

const questionBase = {
  id: slug('question id'),
  text: nonEmptyText(1000),
  help: nonEmptyText(2000).optional().describe('Clarification shown under the question'),
  criteria: z.array(criterionId).min(1, { error: 'every question maps to at least one Trust Services Criteria id' }),
  required: z.boolean().default(true),
  weight: z.number().min(0).max(10).default(1).describe('Importance in section and category scores; 0 = not scored'),
  when: z.string().min(1).max(1000).optional().describe('Visibility condition over earlier answers; see questionnaires/README.md'),
};

export const yesNoQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('yes-no'),
  allowNa: z.boolean().default(false).describe('Offer "not applicable"'),
  riskyAnswer: z.enum(['yes', 'no']).optional().describe('The answer that implies risk and raises a finding'),
  tip: tipSchema.optional(),
});

export const singleChoiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('single-choice'),
  options: z.array(optionSchema).min(2),
});

export const multipleChoiceQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('multiple-choice'),
  options: z.array(optionSchema).min(2),
  minSelections: z.int().min(0).optional(),
  maxSelections: z.int().min(1).optional(),
});

export const textQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('text'),
  maxLength: z.int().min(1).max(20000).default(4000),
});

export const numberQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('number'),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().default(false),
  unit: nonEmptyText(40).optional(),
});

export const dateQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('date'),
});

export const fileQuestionSchema = z.strictObject({
  ...questionBase,
  type: z.literal('file'),
  accept: z.array(z.string().regex(/^[a-z0-9]+$/)).min(1).optional().describe('Accepted file extensions, e.g. ["pdf"]'),
});

export const questionSchema = z.discriminatedUnion(
  'type',
  [
    yesNoQuestionSchema,
    singleChoiceQuestionSchema,
    multipleChoiceQuestionSchema,
    textQuestionSchema,
    numberQuestionSchema,
    dateQuestionSchema,
    fileQuestionSchema,
  ],
  { error: `type must be one of ${QUESTION_TYPES.join(', ')}` },
);

export const sectionSchema = z.strictObject({
  id: slug('section id'),
  title: nonEmptyText(200),
  description: nonEmptyText(2000).optional(),
  when: z.string().min(1).max(1000).optional().describe('Visibility condition for the whole section'),
  questions: z.array(questionSchema).min(1),
});

export const questionnaireTemplateSchema = z
  .strictObject({
    $schema: z.string().optional(),
    id: slug('template id'),
    version: z.string().regex(SEMVER, { error: 'version must be a semantic version such as 1.0.0' }),
    title: nonEmptyText(200),
    description: nonEmptyText(4000),
    sections: z.array(sectionSchema).min(1),
  })
  .describe('A trustgate questionnaire template');

export type Tip = z.infer<typeof tipSchema>;
export type AnswerOption = z.infer<typeof optionSchema>;
export type YesNoQuestion = z.infer<typeof yesNoQuestionSchema>;
export type SingleChoiceQuestion = z.infer<typeof singleChoiceQuestionSchema>;
export type MultipleChoiceQuestion = z.infer<typeof multipleChoiceQuestionSchema>;
export type TextQuestion = z.infer<typeof textQuestionSchema>;
export type NumberQuestion = z.infer<typeof numberQuestionSchema>;
export type DateQuestion = z.infer<typeof dateQuestionSchema>;
export type FileQuestion = z.infer<typeof fileQuestionSchema>;
export type Question = z.infer<typeof questionSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type QuestionnaireTemplate = z.infer<typeof questionnaireTemplateSchema>;
/** A template as written in JSON, before defaults are applied. */
export type QuestionnaireTemplateInput = z.input<typeof questionnaireTemplateSchema>;

export const QUESTIONNAIRE_SCHEMA_ID = 'https://trustgate.dev/schemas/questionnaire-template.json';

/** The JSON Schema published as questionnaires/schema.json (generated, never edited by hand). */
export function questionnaireJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(questionnaireTemplateSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...generated, $id: QUESTIONNAIRE_SCHEMA_ID, title: 'trustgate questionnaire template' };
}

/** The exact text of questionnaires/schema.json. */
export function renderQuestionnaireJsonSchema(): string {
  return `${JSON.stringify(questionnaireJsonSchema(), null, 2)}\n`;
}
