/**
 * CSV exports of the risk register as jobs (issue 15): asked for through the API and answered at once (the job is
 * dispatched through AppDeps.jobs: in the same process locally, to the jobs function in AWS); the file is
 * written to the document store a page of lines at a time (a multipart upload in S3), then fetched through a signed
 * link that works for REGISTER_EXPORT_LINK_SECONDS. Every change of a job is audited on its own chain.
 */
import { NotFoundError } from '../domain/errors.ts';
import { planRegisterQuery } from '../domain/risk-register.ts';
import {
  REGISTER_EXPORT_LINK_SECONDS,
  registerExportFileName,
  registerExportKey,
  registerExportKept,
  type RegisterExportJob,
  type RegisterExportQuery,
} from '../domain/register-export.ts';
import type { Principal } from '../domain/roles.ts';
import { eventOf, staffActor, SYSTEM } from './audit-events.ts';
import type { AppDeps } from './deps.ts';
import { dispatchRecordedJob } from './job-dispatch.ts';
import { registerCsvHeader, registerCsvLines, registerQuery, riskRegisterPages, type RegisterRequest } from './risk.ts';

type Deps = Pick<AppDeps, 'register' | 'registerExports' | 'documents' | 'jobs' | 'clock' | 'ids'>;

/** A job as the API shows it: with a signed download link while the finished file is kept. */
export type RegisterExportView = RegisterExportJob & { downloadUrl: string | null; expired: boolean };

const requestOf = (query: RegisterExportQuery): RegisterRequest => ({
  sort: query.sort,
  order: query.order,
  ...(query.rating ? { rating: query.rating } : {}),
  ...(query.tier ? { tier: query.tier } : {}),
  ...(query.overdue ? { overdueReview: true } : {}),
});

const target = (id: string) => ({ type: 'register-export' as const, id });

/** Records a queued export and dispatches it (AppDeps.jobs); a filter and order no view serves is refused first (400). */
export async function requestRegisterExport(deps: Deps, principal: Principal, query: RegisterExportQuery): Promise<RegisterExportView> {
  planRegisterQuery(registerQuery(deps, requestOf(query)));
  const now = deps.clock.now();
  const job: RegisterExportJob = {
    id: deps.ids.newId(),
    status: 'queued',
    query,
    requestedBy: principal.email ?? principal.subject,
    requestedAt: now.toISOString(),
    startedAt: null,
    finishedAt: null,
    fileName: registerExportFileName(now.toISOString().slice(0, 10), query),
    documentKey: null,
    lines: null,
    bytes: null,
    error: null,
    version: 1,
  };
  await deps.registerExports.insertExport(job, eventOf(deps, staffActor(principal), 'register-export.requested', target(job.id), 'Risk register export (CSV) requested', { targetVersion: 1, at: job.requestedAt }));
  await dispatchRecordedJob(deps, { kind: 'register-export', id: job.id }, async (reason) => {
    const failed: RegisterExportJob = { ...job, status: 'failed', finishedAt: deps.clock.now().toISOString(), error: reason, version: 2 };
    await deps.registerExports.replaceExport(failed, 1, eventOf(deps, SYSTEM, 'register-export.finished', target(job.id), `Risk register export failed: ${reason}`, { targetVersion: 2, at: failed.finishedAt! }));
  });
  return viewOf(deps, job);
}

/** An export with its download link while its file is kept; NotFoundError for an unknown id. */
export async function getRegisterExport(deps: Pick<Deps, 'registerExports' | 'documents' | 'clock'>, id: string): Promise<RegisterExportView> {
  const job = await deps.registerExports.getExport(id);
  if (!job) throw new NotFoundError('Register export', id);
  return viewOf(deps, job);
}

async function viewOf(deps: Pick<Deps, 'documents' | 'clock'>, job: RegisterExportJob): Promise<RegisterExportView> {
  const expired = job.status === 'succeeded' && !registerExportKept(job, deps.clock.now());
  const downloadUrl =
    job.status === 'succeeded' && !expired && job.documentKey ? await deps.documents.createDownloadUrl(job.documentKey, { fileName: job.fileName, expiresInSeconds: REGISTER_EXPORT_LINK_SECONDS }) : null;
  return { ...job, downloadUrl, expired };
}

/** The CSV's bytes, a page of the register at a time; counts the lines it yields. */
async function* csvChunks(deps: Pick<Deps, 'register' | 'clock'>, query: RegisterExportQuery, counted: { lines: number }): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  yield encoder.encode(registerCsvHeader());
  for await (const lines of riskRegisterPages(deps, requestOf(query))) {
    counted.lines += lines.length;
    if (lines.length) yield encoder.encode(registerCsvLines(lines));
  }
}

/** Runs a queued export: running, then succeeded with its file's key, lines and size, or failed with the reason. */
export async function runRegisterExport(deps: Omit<Deps, 'jobs'>, id: string): Promise<RegisterExportJob> {
  const queued = await deps.registerExports.getExport(id);
  if (!queued) throw new NotFoundError('Register export', id);
  if (queued.status !== 'queued') return queued;
  const startedAt = deps.clock.now().toISOString();
  const running: RegisterExportJob = { ...queued, status: 'running', startedAt, version: queued.version + 1 };
  await deps.registerExports.replaceExport(running, queued.version, eventOf(deps, SYSTEM, 'register-export.started', target(id), 'Risk register export started', { targetVersion: running.version, at: startedAt }));
  let finished: RegisterExportJob;
  try {
    const counted = { lines: 0 };
    const stored = await deps.documents.putDocumentStream(registerExportKey(id), csvChunks(deps, queued.query, counted), 'text/csv; charset=utf-8');
    finished = { ...running, status: 'succeeded', finishedAt: deps.clock.now().toISOString(), documentKey: stored.key, lines: counted.lines, bytes: stored.size, version: running.version + 1 };
  } catch (error) {
    finished = { ...running, status: 'failed', finishedAt: deps.clock.now().toISOString(), error: error instanceof Error ? error.message : String(error), version: running.version + 1 };
  }
  const summary = finished.status === 'failed' ? `Risk register export failed: ${finished.error}` : `Risk register export done: ${finished.lines} vendor(s), ${finished.bytes} bytes`;
  await deps.registerExports.replaceExport(finished, running.version, eventOf(deps, SYSTEM, 'register-export.finished', target(id), summary, { targetVersion: finished.version, at: finished.finishedAt! }));
  return finished;
}
