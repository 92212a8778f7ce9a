/** Running a dispatched job by its kind: the one entry both the local dispatcher and the jobs Lambda call. */
import { z } from 'zod';
import { ValidationError } from '../domain/errors.ts';
import { BACKGROUND_JOB_KINDS, type BackgroundJob } from '../ports/background-jobs.ts';
import { runAuditVerification } from './audit-verification.ts';
import type { AppDeps } from './deps.ts';
import { runRegisterExport } from './register-exports.ts';

const backgroundJobSchema = z.object({ kind: z.enum(BACKGROUND_JOB_KINDS), id: z.string().min(1).max(100) }).strict();

/** A job as an event carries it, checked (`validation-failed` naming the kinds for anything else). */
export function backgroundJobOf(event: unknown): BackgroundJob {
  const parsed = backgroundJobSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError(`Not a background job: expected { "kind": one of ${BACKGROUND_JOB_KINDS.join(', ')}, "id" }`, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return parsed.data;
}

/** Runs a job to its end (a job no longer queued is left as it is); answers its final status. */
export async function runBackgroundJob(deps: AppDeps, job: BackgroundJob): Promise<{ kind: BackgroundJob['kind']; id: string; status: string }> {
  const done = job.kind === 'audit-verification' ? await runAuditVerification(deps, job.id) : await runRegisterExport(deps, job.id);
  return { kind: job.kind, id: job.id, status: done.status };
}
