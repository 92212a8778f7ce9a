/** Use cases over the questionnaire library, for the HTTP routes `GET /api/questionnaires[/{id}]`. */
import { getTemplate, listTemplates, type TemplateSummary } from '../../questionnaires/library.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { QuestionnaireTemplate } from '../domain/questionnaire/template-schema.ts';

/** Summaries of every shipped questionnaire template. */
export function listQuestionnaires(): TemplateSummary[] {
  return listTemplates();
}

/** One template by id; throws NotFoundError when there is none. */
export function getQuestionnaire(id: string): QuestionnaireTemplate {
  const template = getTemplate(id);
  if (!template) throw new NotFoundError('Questionnaire', id);
  return template;
}
