/**
 * Audit verification as a job (issue 15, item 3): asked for through the API, answered at once with the job's id, run
 * after the answer, its status and report stored. Each change of the job is audited on its own chain.
 */
import { NotFoundError } from '../domain/errors.ts';
import type { Principal } from '../domain/roles.ts';
import type { AuditVerificationJob, AuditVerificationMode } from '../ports/audit-log.ts';
import { eventOf, staffActor, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { dispatchRecordedJob } from './job-dispatch.ts';

type Deps = Pick<AppDeps, 'auditVerifier' | 'auditVerifications' | 'jobs' | 'clock' | 'ids'>;

/** Records a queued verification and dispatches it (AppDeps.jobs); answers the queued job. */
export async function requestAuditVerification(deps: Deps, principal: Principal, mode: AuditVerificationMode): Promise<AuditVerificationJob> {
  const now = deps.clock.now().toISOString();
  const job: AuditVerificationJob = { id: deps.ids.newId(), mode, status: 'queued', requestedBy: principal.email ?? principal.subject, requestedAt: now, startedAt: null, finishedAt: null, report: null, error: null, version: 1 };
  await deps.auditVerifications.insertJob(job, eventOf(deps, staffActor(principal), 'audit-verification.requested', { type: 'audit-verification', id: job.id }, `Audit verification requested (${mode})`, { targetVersion: 1, at: now }));
  await dispatchRecordedJob(deps, { kind: 'audit-verification', id: job.id }, async (reason) => {
    const failed: AuditVerificationJob = { ...job, status: 'failed', finishedAt: deps.clock.now().toISOString(), error: reason, version: 2 };
    await deps.auditVerifications.replaceJob(failed, 1, eventOf(deps, SYSTEM, 'audit-verification.finished', { type: 'audit-verification', id: job.id }, `Audit verification failed: ${reason}`, { targetVersion: 2, at: failed.finishedAt! }));
  });
  return job;
}

/** A verification job, or NotFoundError. */
export async function getAuditVerification(deps: Pick<AppDeps, 'auditVerifications'>, id: string): Promise<AuditVerificationJob> {
  const job = await deps.auditVerifications.getJob(id);
  if (!job) throw new NotFoundError('Audit verification', id);
  return job;
}

/** Runs a queued job: running, then succeeded with its report (intact or not) or failed with the reason. */
export async function runAuditVerification(deps: Omit<Deps, 'jobs'>, id: string): Promise<AuditVerificationJob> {
  const queued = await getAuditVerification(deps, id);
  if (queued.status !== 'queued') return queued;
  const startedAt = deps.clock.now().toISOString();
  const running: AuditVerificationJob = { ...queued, status: 'running', startedAt, version: queued.version + 1 };
  await deps.auditVerifications.replaceJob(running, queued.version, eventOf(deps, SYSTEM, 'audit-verification.started', { type: 'audit-verification', id }, `Audit verification started (${queued.mode})`, { targetVersion: running.version, at: startedAt }));
  let finished: AuditVerificationJob;
  try {
    const result = await deps.auditVerifier.verifyWithCheckpoints(queued.mode, startedAt);
    finished = { ...running, status: 'succeeded', finishedAt: deps.clock.now().toISOString(), report: { ok: result.problems.length === 0, ...result }, version: running.version + 1 };
  } catch (error) {
    finished = { ...running, status: 'failed', finishedAt: deps.clock.now().toISOString(), error: error instanceof Error ? error.message : String(error), version: running.version + 1 };
  }
  const summary = finished.status === 'failed' ? `Audit verification failed: ${finished.error}` : `Audit verification done: ${finished.report!.problems.length} problem(s) in ${finished.report!.chains} chain(s), ${finished.report!.events} event(s) checked`;
  await deps.auditVerifications.replaceJob(finished, running.version, eventOf(deps, SYSTEM, 'audit-verification.finished', { type: 'audit-verification', id }, summary, { targetVersion: finished.version, at: finished.finishedAt! }));
  return finished;
}
