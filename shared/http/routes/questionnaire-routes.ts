/** The questionnaire library. */
import { createRoute, z } from '@hono/zod-openapi';
import { getQuestionnaire, listQuestionnaires } from '../../app/questionnaires.ts';
import { staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, jsonResponse, problemResponse } from '../schemas.ts';


export function registerQuestionnaireRoutes(api: ApiBuilder): void {
  api.route(
    createRoute({
      method: 'get',
      path: '/api/questionnaires',
      tags: ['Questionnaires'],
      summary: 'The questionnaire templates trustgate ships',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.object({ id: z.string(), version: z.string(), title: z.string(), description: z.string(), questionCount: z.number(), sectionCount: z.number() })) }), 'Templates'),
        ...commonProblems,
      },
    }),
    staff('procurement', 'security', 'admin'),
    (c) => c.json({ items: listQuestionnaires() }, 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/questionnaires/{id}',
      tags: ['Questionnaires'],
      summary: 'One template with its sections, questions, criteria and tips',
      request: { params: z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/).openapi({ param: { name: 'id', in: 'path' } }) }) },
      responses: { 200: jsonResponse(z.unknown(), 'The template'), ...commonProblems, 404: problemResponse('No such template') },
    }),
    staff('procurement', 'security', 'admin'),
    (c) => c.json(getQuestionnaire(c.req.valid('param').id) as Record<string, unknown>, 200),
  );
}
