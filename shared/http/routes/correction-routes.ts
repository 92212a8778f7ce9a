/** Security's corrections of the facts extracted from a document, and their export as a labelled corpus case. */
import { createRoute, z } from '@hono/zod-openapi';
import { correctField, exportCorpusCase, getCorrections, revertCorrection } from '../../app/corrections.ts';
import type { AppDeps } from '../../app/deps.ts';
import { CORRECTABLE_FIELDS, correctionReasonSchema } from '../../domain/analysis-corrections.ts';
import { staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, idParamSchema, jsonBody, jsonResponse, problemResponse } from '../schemas.ts';

const STAFF = staff('procurement', 'security', 'admin');
const REVIEWERS = staff('security', 'admin');

const documentParams = idParamSchema.extend({
  documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'a document id' }).openapi({ param: { name: 'documentId', in: 'path' } }),
});
const fieldParams = documentParams.extend({
  field: z
    .string()
    .regex(/^[A-Za-z]{1,64}$/, { message: 'a field name' })
    .openapi({ param: { name: 'field', in: 'path' }, description: `One of: ${CORRECTABLE_FIELDS.join(', ')}`, example: 'opinion' }),
});

const ifMatchHeader = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"?\d+"?$/, { message: 'If-Match is the ETag of the document’s corrections, e.g. "3"' })
    .optional()
    .openapi({ description: 'ETag from GET …/corrections: refuse the change if the document changed since' }),
});
const parseEtag = (value: string | undefined) => (value === undefined ? undefined : Number(value.replace(/^W\//, '').replaceAll('"', '')));

const correctionSchema = z
  .object({ field: z.enum(CORRECTABLE_FIELDS as [string, ...string[]]), value: z.unknown(), reason: z.string(), correctedBy: z.string(), correctedAt: z.string() })
  .openapi('FieldCorrection');
const correctionsViewSchema = z
  .object({
    assessmentId: z.string(),
    documentId: z.string(),
    fileName: z.string(),
    version: z.number().int(),
    correctableFields: z.array(z.string()).readonly(),
    original: z.unknown().openapi({ description: 'The analysis as the analyzer extracted it' }),
    corrections: z.array(correctionSchema),
    effective: z.unknown().openapi({ description: 'The analysis with the corrections applied: the score and findings are computed from it' }),
  })
  .openapi('DocumentCorrections');
const corpusCaseSchema = z
  .object({
    caseName: z.string(),
    label: z.record(z.string(), z.unknown()).openapi({ description: 'The facts in the format of a corpus labels.json entry' }),
    document: z.object({ id: z.string(), assessmentId: z.string(), fileName: z.string(), sha256: z.string(), size: z.number() }),
    corrections: z.array(correctionSchema),
    warnings: z.array(z.string()),
  })
  .openapi('CorpusCase');

const problems = {
  ...commonProblems,
  404: problemResponse('No such assessment, document or correction'),
  409: problemResponse('document-not-analyzed, or corrections-closed (the assessment is decided, cancelled or being scored)'),
};
const path = '/api/assessments/{id}/documents/{documentId}/corrections';

export function registerCorrectionRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'get',
      path,
      tags: ['Corrections'],
      summary: 'The extracted facts of a document: as extracted, the corrections, and the effective (corrected) facts',
      request: { params: documentParams },
      responses: { 200: jsonResponse(correctionsViewSchema, 'The facts; ETag is the document version'), ...problems },
    }),
    STAFF,
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      const view = await getCorrections(deps, id, documentId);
      c.header('ETag', `"${view.version}"`);
      return c.json(view, 200);
    },
  );

  api.route(
    createRoute({
      method: 'put',
      path: `${path}/{field}`,
      tags: ['Corrections'],
      summary: 'Correct one extracted field (security)',
      description:
        'The value replaces what the analyzer read for this field (an earlier correction of it is superseded); the analysis as extracted is kept. ' +
        'The change is audited with who, when, old and new value and the reason, and the residual risk, findings and CUEC tasks are computed again from the corrected facts. ' +
        'Taken until the assessment is decided. Problems: unknown-field, invalid-correction-value (errors name the part of the value), document-not-analyzed, corrections-closed, version-mismatch.',
      request: { params: fieldParams, headers: ifMatchHeader, body: jsonBody(z.object({ value: z.unknown().openapi({ description: 'The field’s value, as in the analysis (null for "not stated" where the field allows it)' }), reason: correctionReasonSchema }).strict()) },
      responses: { 200: jsonResponse(correctionsViewSchema, 'Corrected and scored again'), ...problems, 412: problemResponse('If-Match does not match the document version') },
    }),
    REVIEWERS,
    async (c) => {
      const { id, documentId, field } = c.req.valid('param');
      const body = c.req.valid('json');
      const view = await correctField(deps, c.get('principal'), { assessmentId: id, documentId }, { field, value: body.value, reason: body.reason }, parseEtag(c.req.valid('header')['if-match']));
      c.header('ETag', `"${view.version}"`);
      return c.json(view, 200);
    },
  );

  api.route(
    createRoute({
      method: 'delete',
      path: `${path}/{field}`,
      tags: ['Corrections'],
      summary: 'Revert a correction: the field goes back to what the analyzer read (security)',
      description: 'Audited with the reason, and scored again. 404 correction-not-found when the field carries no correction.',
      request: { params: fieldParams, headers: ifMatchHeader, query: z.object({ reason: correctionReasonSchema }).strict() },
      responses: { 200: jsonResponse(correctionsViewSchema, 'Reverted and scored again'), ...problems, 412: problemResponse('If-Match does not match the document version') },
    }),
    REVIEWERS,
    async (c) => {
      const { id, documentId, field } = c.req.valid('param');
      const view = await revertCorrection(deps, c.get('principal'), { assessmentId: id, documentId }, { field, reason: c.req.valid('query').reason }, parseEtag(c.req.valid('header')['if-match']));
      c.header('ETag', `"${view.version}"`);
      return c.json(view, 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: `${path}/corpus-case`,
      tags: ['Corrections'],
      summary: 'The corrected facts as a labelled corpus case (for `trustgate corpus add`)',
      description: 'A download: save it and run `npx trustgate corpus add <case-name> --label <this file> --pdf <the document>`, which checks the PDF against `document.sha256`.',
      request: { params: documentParams },
      responses: { 200: jsonResponse(corpusCaseSchema, 'The case'), ...problems },
    }),
    REVIEWERS,
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      const corpusCase = await exportCorpusCase(deps, id, documentId);
      c.header('Content-Disposition', `attachment; filename="${corpusCase.caseName}.label.json"`);
      c.header('Cache-Control', 'private, no-store');
      return c.json(corpusCase, 200);
    },
  );
}
