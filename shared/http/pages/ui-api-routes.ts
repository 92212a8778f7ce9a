/**
 * Three small JSON routes the web pages need and the API did not have: the policy's questionnaire selection for a
 * vendor (to preselect the start form), which questions the saved answers show (conditional questions), and a CSV
 * of answers parsed against a questionnaire (the portal's import). Each reads; none changes state.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { getTemplate, selectTemplates } from '../../../questionnaires/library.ts';
import type { AppDeps } from '../../app/deps.ts';
import { getPortalView } from '../../app/portal.ts';
import { getVendor } from '../../app/vendors.ts';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import { questionStatuses } from '../../domain/questionnaire/answers.ts';
import { importAnswersCsv, MAX_CSV_LENGTH } from '../../domain/questionnaire/answers-csv.ts';
import { PORTAL, staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, idParamSchema, problemResponse } from '../schemas.ts';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const portalProblems = { ...commonProblems, 404: problemResponse('Unknown portal link'), 410: problemResponse('The link expired or was replaced by a newer one') };

export function registerUiApiRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'get',
      path: '/api/vendors/{id}/questionnaire-selection',
      tags: ['Questionnaires'],
      summary: 'The questionnaires the selection policy picks for a vendor, with the rules that picked them',
      request: { params: idParamSchema },
      responses: { 200: json(z.object({ items: z.array(z.object({ templateId: z.string(), reasons: z.array(z.string()) })) }), 'Selected templates'), ...commonProblems, 404: problemResponse('No such vendor') },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => {
      const vendor = await getVendor(deps, c.req.valid('param').id);
      return c.json({ items: selectTemplates({ tier: vendor.inherentRisk.tier, dataTypes: vendor.dataTypes, criticality: vendor.criticality }) }, 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/portal/visibility',
      tags: ['Vendor portal'],
      summary: 'Which questions the saved answers show',
      description: 'Per questionnaire, each question is visible, hidden (its condition is false) or pending (it waits on an unanswered question).',
      responses: {
        200: json(z.object({ items: z.array(z.object({ templateId: z.string(), statuses: z.record(z.string(), z.enum(['visible', 'hidden', 'pending'])) })) }), 'Statuses'),
        ...portalProblems,
      },
    }),
    PORTAL,
    async (c) => {
      const view = await getPortalView(deps, c.get('portal'));
      const items = view.questionnaires.map((q) => ({ templateId: q.template.id, statuses: Object.fromEntries(questionStatuses(q.template, q.answers)) }));
      return c.json({ items }, 200);
    },
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/portal/answers/csv',
      tags: ['Vendor portal'],
      summary: 'Read answers from a CSV file (nothing is saved)',
      description: 'Columns questionId, answer, and optionally comment, compensatingControl, remediationDate. Answers the parsed answers to save with PUT /api/portal/answers, or every problem with its line.',
      request: {
        body: { content: { 'application/json': { schema: z.object({ templateId: z.string().min(1).max(64), csv: z.string().max(MAX_CSV_LENGTH) }).strict() } }, required: true },
      },
      responses: { 200: json(z.object({ answers: z.record(z.string(), z.unknown()) }), 'Parsed answers'), ...portalProblems },
    }),
    PORTAL,
    async (c) => {
      const body = c.req.valid('json');
      const view = await getPortalView(deps, c.get('portal'));
      if (!view.questionnaires.some((q) => q.template.id === body.templateId)) throw new ValidationError('This assessment has no such questionnaire', [{ path: 'templateId', message: 'a questionnaire of this assessment' }]);
      const template = getTemplate(body.templateId);
      if (!template) throw new NotFoundError('Questionnaire', body.templateId);
      const result = importAnswersCsv(template, body.csv);
      if (!result.ok) throw new ValidationError('The CSV has problems', result.errors.map((e) => ({ path: `line ${e.line}`, message: e.message })), 'invalid-csv');
      return c.json({ answers: result.answers }, 200);
    },
  );
}
