/**
 * The questionnaire library shipped with trustgate, loaded and validated once at start-up. Static JSON imports keep
 * it inside a Lambda bundle; a broken template fails the import with its file, JSON path and reason.
 */
import { loadTemplate } from '../shared/domain/questionnaire/parse-template.ts';
import {
  parseSelectionPolicy,
  selectTemplatesWithPolicy,
  type SelectedTemplate,
  type SelectionInput,
  type SelectionPolicy,
} from '../shared/domain/questionnaire/selection.ts';
import type { QuestionnaireTemplate } from '../shared/domain/questionnaire/template-schema.ts';
import availabilityCritical from './availability-critical.json' with { type: 'json' };
import baselineSecurity from './baseline-security.json' with { type: 'json' };
import privacyDpa from './privacy-dpa.json' with { type: 'json' };
import saasLite from './saas-lite.json' with { type: 'json' };
import selectionPolicyJson from './selection-policy.json' with { type: 'json' };

export interface TemplateSummary {
  id: string;
  version: string;
  title: string;
  description: string;
  questionCount: number;
  sectionCount: number;
}

const templates: readonly QuestionnaireTemplate[] = [
  loadTemplate(baselineSecurity, 'questionnaires/baseline-security.json'),
  loadTemplate(saasLite, 'questionnaires/saas-lite.json'),
  loadTemplate(privacyDpa, 'questionnaires/privacy-dpa.json'),
  loadTemplate(availabilityCritical, 'questionnaires/availability-critical.json'),
];

const byId = new Map(templates.map((template) => [template.id, template]));

/** The shipped selection policy, checked against the shipped template ids. */
export const selectionPolicy: SelectionPolicy = parseSelectionPolicy(selectionPolicyJson, [...byId.keys()]);

/** A one-line description of each shipped template, in library order. */
export function listTemplates(): TemplateSummary[] {
  return templates.map((template) => ({
    id: template.id,
    version: template.version,
    title: template.title,
    description: template.description,
    questionCount: template.sections.reduce((count, section) => count + section.questions.length, 0),
    sectionCount: template.sections.length,
  }));
}

/** The shipped template with this id, or undefined. */
export function getTemplate(id: string): QuestionnaireTemplate | undefined {
  return byId.get(id);
}

/** The templates a vendor with this profile receives under the shipped selection policy. */
export function selectTemplates(input: SelectionInput): SelectedTemplate[] {
  return selectTemplatesWithPolicy(selectionPolicy, input);
}
