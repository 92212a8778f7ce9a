/** Assessment routes for procurement and security. */
import { createRoute, z } from '@hono/zod-openapi';
import { cancelAssessment, decideAssessment, getAssessmentView, getDocumentDownloadUrl, listAssessments, resendInvite, retryAssessment, startAssessment } from '../../app/assessments.ts';
import type { AppDeps } from '../../app/deps.ts';
import { assessmentChanges } from '../../app/reassessment.ts';
import { ASSESSMENT_STATUSES, assessmentRequestSchema, decisionRequestSchema } from '../../domain/assessment.ts';
import { staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { assessmentSchema, assessmentViewSchema, commonProblems, idParamSchema, jsonBody, jsonResponse, pageOf, pageQuerySchema, problemResponse } from '../schemas.ts';

const notFound = { 404: problemResponse('No such assessment') };
const conflict = { 409: problemResponse('Not possible in the assessment’s current state') };

export function registerAssessmentRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments',
      tags: ['Assessments'],
      summary: 'Start an assessment',
      description: 'Creates the assessment and starts its workflow: the vendor is mailed a portal link. Without `templates`, the selection policy picks them from the vendor’s tier and data types.',
      request: { body: jsonBody(assessmentRequestSchema) },
      responses: { 201: jsonResponse(assessmentSchema, 'Started'), ...commonProblems, 404: problemResponse('No such vendor') },
    }),
    staff('procurement', 'admin'),
    async (c) => {
      const assessment = await startAssessment(deps, c.get('principal'), c.req.valid('json'));
      c.header('Location', `/api/assessments/${assessment.id}`);
      return c.json(assessment, 201);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments',
      tags: ['Assessments'],
      summary: 'List assessments, newest first',
      request: {
        query: z
          .object({
            vendorId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
            status: z.enum(ASSESSMENT_STATUSES).optional(),
            open: z.enum(['true', 'false']).optional().openapi({ description: 'true: only assessments not yet finished' }),
            ...pageQuerySchema,
          })
          .strict(),
      },
      responses: { 200: jsonResponse(pageOf(assessmentSchema, 'AssessmentPage'), 'A page of assessments'), ...commonProblems },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => {
      const q = c.req.valid('query');
      const page = await listAssessments(
        deps,
        { ...(q.vendorId ? { vendorId: q.vendorId } : {}), ...(q.status ? { status: q.status } : {}), ...(q.open === 'true' ? { openOnly: true } : {}) },
        { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
      );
      return c.json(page, 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}',
      tags: ['Assessments'],
      summary: 'Read an assessment',
      description: 'Status, timeline (its audit events), answers, documents with their analyses, and where the workflow waits.',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(assessmentViewSchema, 'The assessment'), ...commonProblems, ...notFound },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => c.json(await getAssessmentView(deps, c.req.valid('param').id), 200),
  );

  const briefFinding = z.object({ id: z.string(), title: z.string(), severity: z.string() });
  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}/changes',
      tags: ['Assessments'],
      summary: 'What changed since the last approved assessment',
      description:
        'For a reassessment: the answers that changed (before and after), the carried-over sections and whether the vendor confirmed or edited each, findings opened and closed, and the score delta with the contributions that moved. Documents are matched by content, so an unchanged report matches itself. `previous` is null when the vendor has no approved assessment.',
      request: { params: idParamSchema },
      responses: {
        200: jsonResponse(
          z
            .object({
              assessmentId: z.string(),
              previous: z.object({ assessmentId: z.string(), decidedAt: z.string(), decision: z.string() }).nullable(),
              answers: z.array(z.object({ templateId: z.string(), questionId: z.string(), before: z.unknown().nullable(), after: z.unknown().nullable() })),
              sections: z.array(z.object({ templateId: z.string(), sectionId: z.string(), review: z.string() })),
              findings: z.object({ opened: z.array(briefFinding), closed: z.array(briefFinding) }),
              score: z.object({
                before: z.number().nullable(),
                after: z.number().nullable(),
                delta: z.number().nullable(),
                contributions: z.array(z.object({ id: z.string(), description: z.string(), before: z.number(), after: z.number() })),
              }),
              documentNames: z.record(z.string(), z.string()).openapi({ description: 'File names of both assessments\' documents by id (a file question is answered with a document id)' }),
            })
            .openapi('AssessmentChanges'),
          'The changes',
        ),
        ...commonProblems,
        ...notFound,
      },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => c.json(await assessmentChanges(deps, c.req.valid('param').id), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/cancel',
      tags: ['Assessments'],
      summary: 'Cancel an assessment',
      request: { params: idParamSchema, body: jsonBody(z.object({ reason: z.string().trim().min(1).max(1000) }).strict()) },
      responses: { 200: jsonResponse(assessmentSchema, 'Cancelled'), ...commonProblems, ...notFound, ...conflict },
    }),
    staff('procurement', 'admin'),
    async (c) => c.json(await cancelAssessment(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json').reason), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/resend-invite',
      tags: ['Assessments'],
      summary: 'Mail the vendor a new portal link',
      description: 'Earlier links stop working.',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(z.object({ sentTo: z.string() }), 'Sent'), ...commonProblems, ...notFound, ...conflict },
    }),
    staff('procurement', 'admin'),
    async (c) => c.json(await resendInvite(deps, c.get('principal'), c.req.valid('param').id), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/decision',
      tags: ['Assessments'],
      summary: 'Decide an assessment awaiting review',
      description: 'approved, approved-with-conditions (with remediation conditions and due dates), rejected, or changes-requested (back to the vendor with the comment).',
      request: { params: idParamSchema, body: jsonBody(decisionRequestSchema) },
      responses: { 200: jsonResponse(assessmentSchema, 'Decided'), ...commonProblems, ...notFound, ...conflict },
    }),
    staff('security', 'admin'),
    async (c) => c.json(await decideAssessment(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/retry',
      tags: ['Assessments'],
      summary: 'Retry an assessment that needs attention, or its analysis while it awaits review',
      description: 'Needs attention: resumes from the step that failed. Awaiting review: the documents whose analysis failed (or did not run) are read again, the others keep their analysis, and the assessment comes back to review.',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(assessmentSchema, 'Resumed'), ...commonProblems, ...notFound, ...conflict },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => c.json(await retryAssessment(deps, c.get('principal'), c.req.valid('param').id), 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}/documents/{documentId}/file',
      tags: ['Assessments'],
      summary: 'Download an uploaded document (PDF)',
      description: 'A redirect (302) to a short-lived signed URL of the stored file (S3 in AWS, the local server locally), served as an attachment with the name the vendor gave.',
      request: { params: idParamSchema.extend({ documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).openapi({ param: { name: 'documentId', in: 'path' } }) }) },
      responses: { 302: { description: 'Location: the signed download URL (valid for 5 minutes)' }, ...commonProblems, 404: problemResponse('No such document') },
    }),
    staff('procurement', 'security', 'admin'),
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      const url = await getDocumentDownloadUrl(deps, id, documentId);
      return c.body(null, 302, { location: url, 'cache-control': 'private, no-store' });
    },
  );
}
