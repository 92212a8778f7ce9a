/** The vendor portal API: the bearer is the portal token from the invitation link, scoped to one assessment. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../app/deps.ts';
import { completeUpload, confirmCarriedSection, deleteEvidence, getPortalView, portalDocumentOf, saveDraftAnswers, startUpload, submitAssessment, UPLOAD_FORM_SECONDS } from '../../app/portal.ts';
import { DOCUMENT_KINDS } from '../../domain/assessment.ts';
import { PDF_CONTENT_TYPE } from '../../domain/evidence.ts';
import { answerEntrySchema } from '../../domain/questionnaire/answers.ts';
import { PORTAL } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, jsonResponse, problemResponse } from '../schemas.ts';

const portalProblems = { ...commonProblems, 404: problemResponse('Unknown portal link'), 410: problemResponse('The link expired or was replaced by a newer one') };

const portalDocumentSchema = z
  .object({
    id: z.string(),
    kind: z.enum(DOCUMENT_KINDS),
    fileName: z.string(),
    size: z.number(),
    pageCount: z.number().nullable().openapi({ description: 'Pages found when the upload was checked; null when it was not checked' }),
    uploadedAt: z.string(),
    analysisStatus: z.enum(['pending', 'analyzed', 'failed', 'not-analyzed']),
    problem: z.string().nullable().openapi({ description: 'Why the file could not be read, in words, when its analysis failed' }),
    carriedOver: z.boolean().openapi({ description: 'Carried over from the last approved assessment, still fresh: no upload needed' }),
  })
  .openapi('PortalDocument');

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const documentIdParam = z.object({ documentId: z.string().regex(idPattern).openapi({ param: { name: 'documentId', in: 'path' } }) });
const uploadProblems = {
  400: problemResponse('Invalid input, or a file that cannot be read: empty-file, not-a-pdf, document-encrypted (needs a password to open), document-unreadable (damaged, truncated, too slow to open), document-too-long (over 2,000 pages), upload-not-encrypted'),
  413: problemResponse('The file is larger than the upload limit (file-too-large)'),
};

const uploadStartSchema = z
  .object({
    fileName: z.string().min(1).max(255),
    contentType: z.string().max(100).openapi({ example: PDF_CONTENT_TYPE, description: `Only ${PDF_CONTENT_TYPE}` }),
    size: z.number().int().min(0).openapi({ description: 'The file size in bytes; the signed form accepts 1 byte up to the upload limit' }),
    kind: z.enum(DOCUMENT_KINDS),
    replacesDocumentId: z.string().regex(idPattern).optional().openapi({ description: 'Replace the file of this document instead of adding one' }),
  })
  .strict()
  .openapi('UploadStart');

const startedUploadSchema = z
  .object({
    uploadId: z.string(),
    upload: z.object({ url: z.string(), method: z.literal('POST'), fields: z.record(z.string(), z.string()) }).openapi({ description: 'Post these fields and then the file (as `file`, last) as multipart/form-data to `url`' }),
    maxBytes: z.number(),
    expiresAt: z.string(),
  })
  .openapi('StartedUpload');

export function registerPortalRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'get',
      path: '/api/portal/assessment',
      tags: ['Vendor portal'],
      summary: 'The assessment the portal link opens',
      description: 'Questionnaires with the saved answers and progress, uploaded documents and their analysis status. Never scores, findings or internal notes.',
      responses: {
        200: jsonResponse(
          z
            .object({
              assessmentId: z.string(),
              vendorName: z.string(),
              dueDate: z.string(),
              status: z.enum(['open', 'changes-requested', 'submitted', 'closed']),
              changesRequested: z.string().nullable(),
              locked: z.boolean(),
              answersVersion: z.number(),
              questionnaires: z.array(z.object({ template: z.unknown(), answers: z.record(z.string(), z.unknown()), progress: z.unknown() })),
              documents: z.array(portalDocumentSchema),
              carriedOver: z
                .object({
                  answeredOn: z.string().openapi({ description: 'When the carried answers were submitted (YYYY-MM-DD)' }),
                  sections: z.record(z.string(), z.record(z.string(), z.enum(['unconfirmed', 'confirmed', 'edited']))).openapi({ description: 'Per questionnaire id, per section id' }),
                  unchangedAnswers: z.record(z.string(), z.array(z.string())).openapi({ description: 'Per questionnaire id, the questions whose answer is still the carried one' }),
                  evidence: z
                    .object({
                      carried: z.array(z.string()).openapi({ description: 'File names of the evidence still fresh, carried over with its analysis (no upload needed)' }),
                      askAgain: z.array(z.object({ fileName: z.string(), reason: z.string() })).openapi({ description: 'Evidence no longer fresh under the policy: upload anew, for the reason given' }),
                    })
                    .openapi({ description: 'Evidence of the approved assessment' }),
                })
                .nullable()
                .openapi({ description: 'A reassessment: answers carried over from the last approved assessment; each section must be confirmed unchanged or edited before submit' }),
            })
            .openapi('PortalAssessment'),
          'The assessment',
        ),
        ...portalProblems,
      },
    }),
    PORTAL,
    async (c) => c.json(await getPortalView(deps, c.get('portal')), 200),
  );

  api.route(
    createRoute({
      method: 'put',
      path: '/api/portal/answers',
      tags: ['Vendor portal'],
      summary: 'Save draft answers',
      description: 'Merged question by question into the saved answers; `null` removes an answer. With If-Match (the answersVersion) a save over newer answers is refused (412 version-mismatch).',
      request: {
        headers: z.object({ 'if-match': z.string().regex(/^"?\d+"?$/).optional() }),
        body: {
          content: { 'application/json': { schema: z.object({ templateId: z.string().min(1).max(64), answers: z.record(z.string().max(64), answerEntrySchema.nullable()) }).strict() } },
          required: true,
        },
      },
      responses: { 200: jsonResponse(z.object({ version: z.number(), progress: z.unknown() }), 'Saved'), ...portalProblems, 409: problemResponse('Locked, or too many concurrent saves'), 412: problemResponse('If-Match does not match') },
    }),
    PORTAL,
    async (c) => {
      const ifMatch = c.req.valid('header')['if-match'];
      const body = c.req.valid('json');
      const saved = await saveDraftAnswers(deps, c.get('portal'), { templateId: body.templateId, answers: body.answers }, ifMatch === undefined ? undefined : Number(ifMatch.replaceAll('"', '')));
      return c.json(saved, 200);
    },
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/portal/uploads',
      tags: ['Vendor portal'],
      summary: 'Start an upload: a signed form to post the PDF straight to storage',
      description: `Step 1 of 2. Checks the name, type (${PDF_CONTENT_TYPE}) and declared size, and answers a form signed for ${UPLOAD_FORM_SECONDS / 60} minutes that stores exactly one file of 1 byte up to the limit at a fixed key (S3 in AWS, the local server locally; the store refuses anything else). Then complete it with POST /api/portal/documents.`,
      request: { body: { content: { 'application/json': { schema: uploadStartSchema } }, required: true } },
      responses: { 201: jsonResponse(startedUploadSchema, 'Post the file with this form, then complete the upload'), ...portalProblems, ...uploadProblems, 404: problemResponse('No such document to replace'), 409: problemResponse('Uploads are closed (answers-locked), or the assessment holds 20 documents (too-many-documents)') },
    }),
    PORTAL,
    async (c) => c.json(await startUpload(deps, c.get('portal'), c.req.valid('json')), 201),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/portal/documents',
      tags: ['Vendor portal'],
      summary: 'Complete an upload (SOC 2 report, bridge letter, ISO certificate, other evidence)',
      description: 'Step 2 of 2, after the file was posted with the form from POST /api/portal/uploads. The stored file is opened the way the analyzer will open it: one that needs a password to open, is damaged, is not a PDF or is too large is refused with a code and what to do, in words, and deleted. Completing the same upload again answers the same document (200).',
      request: { body: { content: { 'application/json': { schema: z.object({ uploadId: z.string().regex(idPattern) }).strict() } }, required: true } },
      responses: {
        201: jsonResponse(portalDocumentSchema, 'Checked and recorded; analyzed after submission'),
        200: jsonResponse(portalDocumentSchema, 'Already completed, or the file of an existing document replaced'),
        ...portalProblems,
        ...uploadProblems,
        404: problemResponse('No such upload (unknown, or started more than a day ago)'),
        409: problemResponse('The file has not arrived (upload-incomplete), uploads are closed (answers-locked), or the assessment holds 20 documents (too-many-documents)'),
      },
    }),
    PORTAL,
    async (c) => {
      const { document, created } = await completeUpload(deps, c.get('portal'), c.req.valid('json').uploadId);
      return c.json(portalDocumentOf(document), created ? 201 : 200);
    },
  );

  api.route(
    createRoute({
      method: 'delete',
      path: '/api/portal/documents/{documentId}',
      tags: ['Vendor portal'],
      summary: 'Delete an uploaded document, until submit',
      request: { params: documentIdParam },
      responses: { 204: { description: 'Deleted' }, ...portalProblems, 404: problemResponse('No such document in this assessment'), 409: problemResponse('Submitted: documents are locked (answers-locked)') },
    }),
    PORTAL,
    async (c) => {
      await deleteEvidence(deps, c.get('portal'), c.req.valid('param').documentId);
      return c.body(null, 204);
    },
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/portal/submit',
      tags: ['Vendor portal'],
      summary: 'Submit the answers and documents',
      description: 'Every required question must be answered and, in a reassessment, every carried-over section confirmed or edited (400 sections-unconfirmed lists the others); then the answers lock.',
      responses: { 200: jsonResponse(z.object({ status: z.string(), submittedAt: z.string() }), 'Submitted'), ...portalProblems, 409: problemResponse('Already submitted, or not open') },
    }),
    PORTAL,
    async (c) => c.json(await submitAssessment(deps, c.get('portal')), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/portal/sections/confirm',
      tags: ['Vendor portal'],
      summary: 'Confirm a carried-over section unchanged',
      description: 'In a reassessment, the vendor confirms that the answers of one section, carried over from the last approved assessment, still hold. Editing an answer of the section counts as reviewing it too. Idempotent.',
      request: {
        body: { content: { 'application/json': { schema: z.object({ templateId: z.string().min(1).max(64), sectionId: z.string().min(1).max(64) }).strict() } }, required: true },
      },
      responses: {
        200: jsonResponse(z.object({ version: z.number(), review: z.enum(['unconfirmed', 'confirmed', 'edited']) }), 'Confirmed (or already confirmed or edited)'),
        ...portalProblems,
        409: problemResponse('The answers are locked'),
      },
    }),
    PORTAL,
    async (c) => c.json(await confirmCarriedSection(deps, c.get('portal'), c.req.valid('json')), 200),
  );
}
