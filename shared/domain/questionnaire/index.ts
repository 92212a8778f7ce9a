/** The questionnaire engine: template format, loading, visibility, validation, progress, scores, findings, CSV. */
export * from './trust-services-criteria.ts';
export * from './expression.ts';
export * from './template-schema.ts';
export * from './parse-template.ts';
export * from './answers.ts';
export * from './scoring.ts';
export * from './answers-csv.ts';
export * from './selection.ts';
export * from './carry-over.ts';
export { indexTemplate, choiceIds, type IndexedQuestion, type TemplateIndex } from './template-index.ts';
