/** Scores with their contributions, findings, CUEC tasks, overrides and the risk register. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../app/deps.ts';
import { getRiskRecord, getScopeFit, overrideAssessmentRating, overrideAssessmentScopeFit, registerCsvHeader, registerCsvLines, registerCsvWithin, registerDashboard, registerLinesOf, riskRegisterPage, riskRegisterPages, updateFinding, updateTask } from '../../app/risk.ts';
import { REGISTER_SORTS } from '../../domain/risk-register.ts';
import { registerExportFileName, registerExportJobSchema, registerExportQuerySchema } from '../../domain/register-export.ts';
import { getRegisterExport, requestRegisterExport } from '../../app/register-exports.ts';
import { RISK_POLICY, RISK_RATINGS } from '../../domain/risk/risk-policy.ts';
import { calendarDate } from '../../domain/risk/calendar.ts';
import { staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, idParamSchema, jsonBody, jsonResponse, pageQuerySchema, problemResponse } from '../schemas.ts';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const notFound = { 404: problemResponse('No such assessment, score, finding or task') };
const itemParams = (name: string) =>
  idParamSchema.extend({ [name]: z.string().regex(/^[A-Za-z0-9:_.-]{1,200}$/, { message: 'an id from the list' }).openapi({ param: { name, in: 'path' } }) });
const date = calendarDate();

const findingAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('remediate'), note: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ kind: z.literal('accept-risk'), justification: z.string().trim().min(1).max(4000), expiresOn: date }).strict(),
  z.object({ kind: z.literal('close'), note: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ kind: z.literal('reopen'), reason: z.string().trim().min(1).max(4000) }).strict(),
]);
const taskAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign'), assignee: z.string().trim().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('start') }).strict(),
  z.object({ kind: z.literal('complete'), note: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ kind: z.literal('mark-not-applicable'), justification: z.string().trim().min(1).max(4000) }).strict(),
  z.object({ kind: z.literal('reopen'), reason: z.string().trim().min(1).max(4000) }).strict(),
]);

const verdict = z.enum(['fit', 'partial', 'mismatch', 'not-assessed']);
const scopeCitation = z.object({ field: z.string(), page: z.number().nullable(), quote: z.string().nullable() });
const scopeFitSchema = z
  .object({
    documentId: z.string().nullable(),
    fileName: z.string().nullable(),
    systemName: z.string().nullable(),
    systemCitation: scopeCitation.nullable(),
    dataShared: z.object({ dataClassification: z.string(), dataTypes: z.array(z.string()) }),
    services: z.array(
      z.object({
        service: z.string(),
        status: z.enum(['covered', 'carved-out', 'not-covered', 'unclear']),
        matches: z.array(z.object({ serviceTerm: z.string(), reportTerm: z.string(), concept: z.string() })),
        comparedWith: z.string().nullable(),
        citation: scopeCitation.nullable(),
        explanation: z.string(),
      }),
    ),
    categories: z.array(z.object({ category: z.string(), requiredFor: z.string(), covered: z.boolean(), citation: scopeCitation.nullable() })),
    computedVerdict: verdict,
    verdict,
    reason: z.string(),
    override: z.unknown().nullable(),
    lapsedOverride: z.unknown().nullable(),
  })
  .openapi('ScopeFit');

const STAFF = staff('procurement', 'security', 'admin');
const REVIEWERS = staff('security', 'admin');

export function registerRiskRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'get',
      path: '/api/risk-policy',
      tags: ['Risk'],
      summary: 'The risk policy in force: every weight, threshold and rule the scores and findings are computed with',
      description:
        'The versioned policy document (docs/risk-model.md explains each part). Pages read their thresholds from here (e.g. `assurance.staleness.staleAfterMonths`, when a report becomes stale) instead of writing their own copy.',
      responses: { 200: json(z.object({ version: z.string() }).passthrough(), 'The policy'), ...commonProblems },
    }),
    STAFF,
    (c) => c.json(RISK_POLICY, 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}/score',
      tags: ['Risk'],
      summary: 'Residual risk score with every contribution and its source',
      description: 'Contributions add up to the score; each names a question and answer, a report field and page, or a profile field. The policy version is stored with the score.',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(z.object({ score: z.unknown(), policyVersion: z.string().nullable(), updatedAt: z.string() }), 'The score'), ...commonProblems, ...notFound },
    }),
    STAFF,
    async (c) => {
      const record = await getRiskRecord(deps, c.req.valid('param').id);
      return c.json({ score: record.score, policyVersion: record.score?.policyVersion ?? null, updatedAt: record.updatedAt }, 200);
    },
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/score/override',
      tags: ['Risk'],
      summary: 'Override the rating (security)',
      description: 'The computed score and rating stay visible beside the override. The justification is mandatory.',
      request: { params: idParamSchema, body: jsonBody(z.object({ rating: z.enum(RISK_RATINGS), justification: z.string().trim().min(20, { message: 'explain the override in at least 20 characters' }).max(4000) }).strict()) },
      responses: { 200: jsonResponse(z.object({ score: z.unknown() }), 'Overridden'), ...commonProblems, ...notFound },
    }),
    REVIEWERS,
    async (c) => c.json({ score: (await overrideAssessmentRating(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json'))).score }, 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}/scope-fit',
      tags: ['Risk'],
      summary: 'Does the report cover what we buy? Each recorded service and required category matched or not, cited to its page',
      description:
        'From the last score: the vendor services procurement recorded against the current report’s system name and subservice organizations, the categories the policy requires for the data we share, the computed verdict and security’s override (docs/risk-model.md, "Scope fit").',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(scopeFitSchema, 'The scope fit'), ...commonProblems, ...notFound },
    }),
    STAFF,
    async (c) => c.json(await getScopeFit(deps, c.req.valid('param').id), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/scope-fit/override',
      tags: ['Risk'],
      summary: 'Set the scope-fit verdict (security), with a reason',
      description:
        'The computed verdict stays visible beside the override; the score and findings are computed again at once (a mismatch adds the scope-mismatch penalty and finding, a fit removes them). Audited as scope-fit.overridden. The reason needs at least the policy’s `override.justificationMinLength` characters (else 400 scope-fit-override-invalid); 409 scope-fit-not-assessed when there is no report to compare with.',
      request: { params: idParamSchema, body: jsonBody(z.object({ verdict: z.enum(['fit', 'mismatch']), reason: z.string().max(4000) }).strict()) },
      responses: { 200: jsonResponse(scopeFitSchema, 'The scope fit with the override applied'), ...commonProblems, ...notFound, 409: problemResponse('No report to compare with') },
    }),
    REVIEWERS,
    async (c) => c.json(await overrideAssessmentScopeFit(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}/findings',
      tags: ['Risk'],
      summary: 'Findings raised by the answers and the evidence',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(z.object({ items: z.array(z.unknown()) }), 'Findings, most severe first'), ...commonProblems, ...notFound },
    }),
    STAFF,
    async (c) => c.json({ items: (await getRiskRecord(deps, c.req.valid('param').id)).findings }, 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/findings/{findingId}',
      tags: ['Risk'],
      summary: 'Move a finding: remediate, accept the risk (with justification and expiry), close, reopen',
      request: { params: itemParams('findingId'), body: jsonBody(findingAction) },
      responses: { 200: jsonResponse(z.unknown(), 'The finding'), ...commonProblems, ...notFound, 409: problemResponse('Not allowed from its status') },
    }),
    REVIEWERS,
    async (c) => {
      const { id, findingId } = c.req.valid('param') as { id: string; findingId: string };
      return c.json(await updateFinding(deps, c.get('principal'), id, findingId, c.req.valid('json')), 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/assessments/{id}/tasks',
      tags: ['Risk'],
      summary: 'Controls we must run for this vendor (CUECs from its reports)',
      request: { params: idParamSchema },
      responses: { 200: jsonResponse(z.object({ items: z.array(z.unknown()) }), 'Tasks'), ...commonProblems, ...notFound },
    }),
    STAFF,
    async (c) => c.json({ items: (await getRiskRecord(deps, c.req.valid('param').id)).tasks }, 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/assessments/{id}/tasks/{taskId}',
      tags: ['Risk'],
      summary: 'Move a CUEC task: assign, start, complete, mark not applicable, reopen',
      request: { params: itemParams('taskId'), body: jsonBody(taskAction) },
      responses: { 200: jsonResponse(z.unknown(), 'The task'), ...commonProblems, ...notFound, 409: problemResponse('Not allowed from its status') },
    }),
    STAFF,
    async (c) => {
      const { id, taskId } = c.req.valid('param') as { id: string; taskId: string };
      return c.json(await updateTask(deps, c.get('principal'), id, taskId, c.req.valid('json')), 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/risk-register',
      tags: ['Risk'],
      summary: 'The risk register: each vendor with its current rating, tier, next review and open findings, a page at a time',
      description:
        'Sorted and filtered on the server from the materialized register. A rating or tier filter sorts by name or by that field; `overdue=true` sorts by next review date. ' +
        'Another combination answers 400 `unsupported-register-query`. `format=csv` answers every line (all pages) as text/csv: streamed locally; in AWS, where an answer is buffered, a CSV over 5 MB answers 422 `register-csv-too-large` (use POST /api/risk-register/exports).',
      request: {
        query: z
          .object({
            ...pageQuerySchema,
            rating: z.enum([...RISK_RATINGS, 'unrated']).optional(),
            tier: z.coerce.number().int().min(1).max(4).optional(),
            overdue: z.enum(['true', 'false']).optional().openapi({ description: 'true: only vendors whose next review date has passed (today included)' }),
            sort: z.enum(REGISTER_SORTS).default('name'),
            order: z.enum(['asc', 'desc']).default('asc'),
            format: z.enum(['json', 'csv']).default('json'),
          })
          .strict(),
      },
      responses: {
        200: { content: { 'application/json': { schema: z.object({ items: z.array(z.unknown()), nextCursor: z.string().nullable() }) }, 'text/csv': { schema: z.string() } }, description: 'One page of the register, or all of it as CSV' },
        ...commonProblems,
      },
    }),
    STAFF,
    async (c) => {
      const q = c.req.valid('query');
      const request = { ...(q.rating ? { rating: q.rating } : {}), ...(q.tier ? { tier: q.tier as 1 | 2 | 3 | 4 } : {}), overdueReview: q.overdue === 'true', sort: q.sort, order: q.order };
      if (q.format === 'csv' && deps.inlineCsvMaxBytes !== null) {
        const csv = await registerCsvWithin(deps, request, deps.inlineCsvMaxBytes);
        c.header('Content-Disposition', `attachment; filename="${registerExportFileName(deps.clock.now().toISOString().slice(0, 10))}"`);
        return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8' });
      }
      if (q.format === 'csv') {
        // Page by page as the client reads: never the whole portfolio in memory. The first page is read before the
        // answer starts, so that a bad query still gets its problem answer.
        const pages = riskRegisterPages(deps, request);
        const first = await pages.next();
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encoder.encode(registerCsvHeader() + (first.done ? '' : registerCsvLines(first.value))));
            if (first.done) controller.close();
          },
          async pull(controller) {
            const next = await pages.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(registerCsvLines(next.value)));
          },
          async cancel() {
            await pages.return(undefined);
          },
        });
        c.header('Content-Disposition', `attachment; filename="${registerExportFileName(deps.clock.now().toISOString().slice(0, 10))}"`);
        return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8' });
      }
      return c.json(await riskRegisterPage(deps, request, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/risk-register/lines',
      tags: ['Risk'],
      summary: 'The register lines of up to 100 named vendors (for a page of the vendor list or the review queue)',
      request: {
        query: z
          .object({ vendorIds: z.string().regex(/^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,99}$/, { message: 'up to 100 vendor ids, comma-separated' }) })
          .strict(),
      },
      responses: { 200: jsonResponse(z.object({ items: z.array(z.unknown()) }), 'Lines of the vendors that have one, in the order asked'), ...commonProblems },
    }),
    STAFF,
    async (c) => c.json({ items: await registerLinesOf(deps, c.req.valid('query').vendorIds.split(',')) }, 200),
  );

  const exportJob = registerExportJobSchema
    .extend({
      downloadUrl: z.string().nullable().openapi({ description: 'Once succeeded: a signed link to the file, valid 5 minutes (read the job again for a fresh one); null once the file is no longer kept (24 hours)' }),
      expired: z.boolean(),
    })
    .openapi('RegisterExport');

  api.route(
    createRoute({
      method: 'post',
      path: '/api/risk-register/exports',
      tags: ['Risk'],
      summary: 'Export the risk register as CSV (asynchronous, any size)',
      description:
        'Queues an export with the filters and order of GET /api/risk-register and answers 202 at once. The file is written a page at a time; read the job with GET /api/risk-register/exports/{id} until `succeeded`, then download `downloadUrl`. A filter and sort no view serves answers 400 `unsupported-register-query`.',
      request: { body: { ...jsonBody(registerExportQuerySchema), required: false } },
      responses: { 202: jsonResponse(exportJob, 'Queued'), ...commonProblems },
    }),
    STAFF,
    async (c) => {
      const query = registerExportQuerySchema.parse(c.req.valid('json') ?? {});
      const job = await requestRegisterExport(deps, c.get('principal'), query);
      c.header('Location', `/api/risk-register/exports/${job.id}`);
      return c.json(job, 202);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/risk-register/exports/{id}',
      tags: ['Risk'],
      summary: 'A register export: status, and the download link once written',
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: jsonResponse(exportJob, 'The export'), ...commonProblems, 404: problemResponse('No such export') },
    }),
    STAFF,
    async (c) => c.json(await getRegisterExport(deps, c.req.valid('param').id), 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/risk-register/dashboard',
      tags: ['Risk'],
      summary: 'Portfolio figures: vendors by rating, tier and status; due and overdue reviews; subservice concentration',
      description: 'For the whole portfolio, from counts maintained with every change (a fixed number of reads at any size).',
      responses: { 200: jsonResponse(z.object({ vendors: z.number(), overdueReviews: z.number(), dueReviews: z.number() }).passthrough(), 'The figures'), ...commonProblems },
    }),
    STAFF,
    async (c) => c.json(await registerDashboard(deps), 200),
  );
}
