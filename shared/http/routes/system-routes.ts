/** Health, identity, and the local outbox. */
import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../../app/deps.ts';
import { runDailySweep } from '../../app/sweep.ts';
import { getAuditVerification, requestAuditVerification } from '../../app/audit-verification.ts';
import { auditVerificationJobSchema } from '../../domain/audit-verification.ts';
import { ROLES } from '../../domain/roles.ts';
import { PUBLIC, staff } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { commonProblems, jsonBody, jsonResponse } from '../schemas.ts';


export function registerSystemRoutes(api: ApiBuilder, deps: AppDeps): void {
  api.route(
    createRoute({
      method: 'get',
      path: '/health',
      tags: ['System'],
      summary: 'Liveness',
      responses: { 200: jsonResponse(z.object({ status: z.literal('ok'), mode: z.enum(['local', 'aws']), time: z.string() }), 'Running') },
    }),
    PUBLIC,
    (c) => c.json({ status: 'ok' as const, mode: deps.mode, time: deps.clock.now().toISOString() }, 200),
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/me',
      tags: ['System'],
      summary: 'Who am I',
      responses: { 200: jsonResponse(z.object({ subject: z.string(), email: z.string().nullable(), roles: z.array(z.enum(ROLES)) }), 'The signed-in principal'), ...commonProblems },
    }),
    staff(...ROLES),
    (c) => c.json(c.get('principal'), 200),
  );

  api.route(
    createRoute({
      method: 'post',
      path: '/api/admin/sweep',
      tags: ['System'],
      summary: 'Run the daily sweep now',
      description:
        'Starts reassessments that fell due and sends notices about evidence going stale (each notice once). Runs daily on its own. In AWS the sweep function runs it (one run at a time) and the answer is 202 with the run id; locally it runs in the request and the answer is what it did.',
      responses: {
        200: jsonResponse(z.object({ today: z.string(), vendorsChecked: z.number(), reassessmentsStarted: z.array(z.object({ vendorId: z.string(), assessmentId: z.string() })), workflowsStarted: z.array(z.string()), noticesSent: z.array(z.object({ vendorId: z.string(), kind: z.string(), detail: z.string() })) }), 'What the sweep did'),
        202: jsonResponse(z.object({ status: z.literal('queued'), runId: z.string() }), 'The sweep was handed to the sweep function'),
        ...commonProblems,
      },
    }),
    staff('admin'),
    async (c) => {
      if (deps.sweepRunner) return c.json({ status: 'queued' as const, runId: (await deps.sweepRunner.requestSweep(c.get('principal').subject)).runId }, 202);
      return c.json(await runDailySweep(deps), 200);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/admin/audit/verify',
      tags: ['System', 'Audit'],
      summary: 'Verify the audit trail’s hash chains',
      description: 'Recomputes every event’s hash and link; reports modified, deleted or reordered events and chains cut short.',
      responses: {
        200: jsonResponse(z.object({ ok: z.boolean(), chains: z.number(), events: z.number(), problems: z.array(z.object({ target: z.object({ type: z.string(), id: z.string() }), seq: z.number().nullable(), eventId: z.string().nullable(), problem: z.string(), detail: z.string() })) }), 'The verification'),
        ...commonProblems,
      },
    }),
    staff('admin'),
    async (c) => {
      const result = await deps.auditVerifier.verifyAuditTrail();
      return c.json({ ok: result.problems.length === 0, ...result }, 200);
    },
  );

  const verificationJob = auditVerificationJobSchema;

  api.route(
    createRoute({
      method: 'post',
      path: '/api/audit/verifications',
      tags: ['Audit'],
      summary: 'Start an audit verification (asynchronous)',
      description:
        'Queues a verification and answers 202 with its id at once. `incremental` (the default) checks only the chains that grew since the last run, from their checkpoint on; `full` checks every chain from its first event and every checkpoint. Read the status and report with GET /api/audit/verifications/{id}.',
      request: { body: { ...jsonBody(z.object({ mode: z.enum(['incremental', 'full']).default('incremental') }).strict()), required: false } },
      responses: { 202: jsonResponse(verificationJob, 'Queued'), ...commonProblems },
    }),
    staff('admin'),
    async (c) => {
      const body = (c.req.valid('json') as { mode?: 'incremental' | 'full' } | undefined) ?? {};
      const job = await requestAuditVerification(deps, c.get('principal'), body.mode ?? 'incremental');
      c.header('Location', `/api/audit/verifications/${job.id}`);
      return c.json(job, 202);
    },
  );

  api.route(
    createRoute({
      method: 'get',
      path: '/api/audit/verifications/{id}',
      tags: ['Audit'],
      summary: 'An audit verification: status and report',
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: jsonResponse(verificationJob, 'The verification'), ...commonProblems },
    }),
    staff('admin'),
    async (c) => c.json(await getAuditVerification(deps, c.req.valid('param').id), 200),
  );

  if (deps.outbox) {
    const outbox = deps.outbox;
    api.route(
      createRoute({
        method: 'get',
        path: '/api/dev/outbox',
        tags: ['Local development'],
        summary: 'Mail written to the local outbox (local mode only)',
        request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }).strict() },
        responses: {
          200: jsonResponse(
            z.object({
              items: z.array(z.object({ id: z.string(), from: z.string(), to: z.array(z.string()), subject: z.string(), text: z.string(), purpose: z.string(), sentAt: z.string() })),
            }),
            'Newest first',
          ),
          ...commonProblems,
        },
      }),
      staff(...ROLES),
      async (c) => c.json({ items: await outbox.listSentMail(c.req.valid('query').limit) }, 200),
      { localOnly: true },
    );
  }
}
