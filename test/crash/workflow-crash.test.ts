/**
 * The crash suite's workflow part (issue 13): the local server is killed with SIGKILL at every workflow step
 * boundary (`runner:state-entered:<State>`, after the runner recorded the state; `runner:task-done:<State>`, after the
 * state's task did its work and before the runner recorded the next state) while one assessment is driven through
 * the API. Each restart recovers from the last crash and is armed with the next boundary, so N boundaries cost N + 1
 * server starts. At the end the assessment is approved, nothing is lost or doubled, and the audit trail verifies.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTemplate } from '../../questionnaires/library.ts';
import { LocalTokenService } from '../../shared/adapters/auth/local-token-service.ts';
import { safestAnswers } from '../support/answers.ts';
import { corpusPdf, inDays, isCleanType2 } from '../support/journey.ts';
import { startServerProcess, type RunningServer } from '../support/processes.ts';
import { uploadSteps } from '../support/uploads.ts';

/**
 * The boundaries, in the order the journey reaches them. The journey: the vendor answers without a report, security
 * sends it back asking for the SOC 2 report (RequestChanges), the vendor uploads it and submits again, security
 * approves. Each kind of recovery is here: a start whose answer is lost, a step whose effects are done but not
 * recorded, a callback answered but not recorded, a Map half done, a state recorded but not run, a decision delivered
 * while the decide request still writes, and a multi-item write cut in the middle (`writer:<boundary>@<n>`: the n-th
 * time that server start reaches it; every boundary of the writer is killed one by one in
 * test/crash/atomic-write-crash.test.ts). A server start costs ~2 s.
 */
const CRASH_POINTS = [
  // Inside the first multi-item write (the vendor, its audit event, the chain head): between the event and the head.
  'writer:op-applied@2',
  'runner:state-entered:Invite',
  'runner:task-done:Invite',
  'runner:state-entered:AwaitVendorSubmission',
  // Inside a write of the vendor's (an answer sheet saved), after the write-ahead intent and before any item.
  'writer:intent-written@2',
  'runner:task-done:AwaitVendorSubmission',
  'runner:state-entered:AnalyzeDocuments',
  'runner:state-entered:Score',
  'runner:task-done:Score',
  'runner:state-entered:AwaitSecurityReview',
  // Round 1 ends: changes requested.
  'runner:task-done:AwaitSecurityReview',
  'runner:task-done:RecordDecision',
  'runner:state-entered:ApplyDecision',
  'runner:state-entered:RequestChanges',
  'runner:task-done:RequestChanges',
  // Round 2: the report uploaded, submitted again, analysed, approved.
  'runner:task-done:AwaitVendorSubmission',
  'runner:task-done:AnalyzeDocument',
  'runner:state-entered:Route',
  'runner:task-done:AwaitSecurityReview',
  'runner:state-entered:RecordDecision',
  'runner:state-entered:Finalize',
  'runner:task-done:Finalize',
];

const VENDOR = 'Crash Test Cloud';
const CONTACT = 'security@crash.example';
const ASK_FOR_REPORT = 'Please upload your SOC 2 report.';
const REQUESTER = 'procurement@crash.example';

interface AssessmentView {
  assessment: { id: string; status: string; changesRequested: string | null; nextReviewDate: string | null; lastDecision: { decision: string; automatic: boolean } | null };
  answers: { lockedAt: string | null } | null;
  documents: { id: string; analysisStatus: string }[];
  timeline: { action: string }[];
  waitingAt: string | null;
}

/** What the journey has learnt so far; survives the server's deaths, as a user's memory would. */
interface Journey {
  vendorId?: string;
  assessmentId?: string;
}

class ServerDied extends Error {}

let dataDir: string;
let tokens: { procurement: string; security: string; admin: string };
let pdf: Buffer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'trustgate-crash-'));
  pdf = await corpusPdf(isCleanType2);
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

/** One user action against `server`; ServerDied when the process is gone. */
function client(server: RunningServer, dead: () => boolean) {
  return async (method: string, path: string, options: { token: string; json?: unknown; form?: FormData } = { token: '' }): Promise<Response> => {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token}` };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(`${server.url}${path}`, { method, headers, signal: AbortSignal.timeout(20_000), ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : options.form ? { body: options.form } : {}) });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw new Error(`${method} ${path} got no answer in 20 s:\n${server.output().slice(-3000)}`, { cause: error });
      await new Promise((r) => setTimeout(r, 100));
      if (dead()) throw new ServerDied();
      throw error;
    }
  };
}

/**
 * Drives the journey one step at a time, doing whatever the assessment needs next, until it is finalized ('done')
 * or the server dies ('died').
 */
async function drive(server: RunningServer, journey: Journey, timeoutMs = 40_000): Promise<'done' | 'died'> {
  let dead = false;
  void server.exited.then(() => (dead = true));
  const call = client(server, () => dead);
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (dead) return 'died';
      if (!journey.vendorId) {
        const res = await call('POST', '/api/vendors', { token: tokens.procurement, json: { name: VENDOR, website: 'https://crash.example', contactEmail: CONTACT, criticality: 'high', dataClassification: 'confidential', dataTypes: ['personal'], systemAccess: 'network' } });
        if (res.status === 409) {
          // A registration whose answer was lost to a crash happened after all: find the vendor, as a user would.
          expect(((await res.clone().json()) as { code: string }).code).toBe('vendor-exists');
          const found = (await (await call('GET', `/api/vendors?q=${encodeURIComponent(VENDOR)}`, { token: tokens.procurement })).json()) as { items: { id: string }[] };
          journey.vendorId = found.items[0]!.id;
          continue;
        }
        expect(res.status, await res.clone().text()).toBe(201);
        journey.vendorId = ((await res.json()) as { id: string }).id;
        continue;
      }
      if (!journey.assessmentId) {
        // A start whose answer was lost to a crash may have happened: look before starting again.
        const list = (await (await call('GET', `/api/assessments?vendorId=${journey.vendorId}`, { token: tokens.procurement })).json()) as { items: { id: string }[] };
        if (list.items[0]) journey.assessmentId = list.items[0].id;
        else {
          const res = await call('POST', '/api/assessments', { token: tokens.procurement, json: { vendorId: journey.vendorId, dueDate: inDays(30) } });
          expect(res.status, await res.clone().text()).toBe(201);
          journey.assessmentId = ((await res.json()) as { id: string }).id;
        }
        continue;
      }
      const view = (await (await call('GET', `/api/assessments/${journey.assessmentId}`, { token: tokens.security })).json()) as AssessmentView;
      const { status } = view.assessment;
      if (status === 'approved' && view.assessment.nextReviewDate && view.waitingAt === null && view.timeline.some((e) => e.action === 'assessment.finalized')) {
        // Finalize mails after recording: give a crash armed after its task a moment to strike.
        await Promise.race([server.exited, new Promise((r) => setTimeout(r, 1500))]);
        return dead ? 'died' : 'done';
      }
      expect(['inviting', 'awaiting-vendor', 'analyzing', 'awaiting-review', 'approved']).toContain(status);
      if (view.waitingAt === 'AwaitVendorSubmission' && status === 'awaiting-vendor') {
        await submitAsVendor(call, view);
        continue;
      }
      if (view.waitingAt === 'AwaitSecurityReview' && status === 'awaiting-review') {
        const decision = view.documents.length === 0 ? { decision: 'changes-requested', comment: ASK_FOR_REPORT } : { decision: 'approved', comment: 'Clean Type II report; answers consistent.' };
        const res = await call('POST', `/api/assessments/${journey.assessmentId}/decision`, { token: tokens.security, json: decision });
        expect([200, 409], await res.clone().text()).toContain(res.status);
        continue;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`the journey did not progress within ${timeoutMs} ms:\n${server.output().slice(-3000)}`);
  } catch (error) {
    if (error instanceof ServerDied) return 'died';
    throw error;
  }
}

async function submitAsVendor(call: ReturnType<typeof client>, view: AssessmentView): Promise<void> {
  const outbox = (await (await call('GET', '/api/dev/outbox', { token: tokens.procurement })).json()) as { items: { to: string[]; text: string }[] };
  const portal = outbox.items.filter((m) => m.to.includes(CONTACT)).map((m) => /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(m.text)?.[1]).find(Boolean);
  expect(portal, 'the invitation with its portal link').toBeDefined();
  const portalView = (await (await call('GET', '/api/portal/assessment', { token: portal! })).json()) as { questionnaires: { template: { id: string } }[]; documents: unknown[] };
  for (const q of portalView.questionnaires) {
    const saved = await call('PUT', '/api/portal/answers', { token: portal!, json: { templateId: q.template.id, answers: safestAnswers(getTemplate(q.template.id)!) } });
    expect([200, 409], await saved.clone().text()).toContain(saved.status);
  }
  // Round 1 without the report; the report once security asked for it.
  if (view.assessment.changesRequested === ASK_FOR_REPORT && view.documents.length === 0 && portalView.documents.length === 0) {
    const uploaded = await uploadSteps({ api: (method, path, body) => call(method, path, { token: portal!, json: body }), postForm: (url, form) => call('POST', url, { token: '', form }) }, pdf);
    expect(uploaded.last.status, await uploaded.last.clone().text()).toBe(201);
  }
  const submitted = await call('POST', '/api/portal/submit', { token: portal! });
  expect([200, 409], await submitted.clone().text()).toContain(submitted.status);
}

describe('workflow crash suite', () => {
  it('carries an assessment to its decision through a SIGKILL at every workflow step boundary', { timeout: 420_000 }, async () => {
    const env = { TRUSTGATE_DATA_DIR: dataDir, PORT: '0' };
    const journey: Journey = {};
    const signer = await LocalTokenService.fromKeyFile(join(dataDir, 'local-signing-key'));
    tokens = {
      procurement: await signer.issueToken({ role: 'procurement', email: REQUESTER }),
      security: await signer.issueToken({ role: 'security', email: 'security@trustgate.example' }),
      admin: await signer.issueToken({ role: 'admin', email: 'admin@trustgate.example' }),
    };

    for (const point of CRASH_POINTS) {
      const server = await startServerProcess({ ...env, TRUSTGATE_CRASH_AT: point });
      const outcome = await drive(server, journey);
      expect(outcome, `the server reached ${point}`).toBe('died');
      expect((await server.exited).signal, point).toBe('SIGKILL');
    }

    const server = await startServerProcess(env);
    try {
      expect(await drive(server, journey)).toBe('done');
      const call = client(server, () => false);
      const view = (await (await call('GET', `/api/assessments/${journey.assessmentId}`, { token: tokens.security })).json()) as AssessmentView;
      expect(view.assessment.lastDecision).toMatchObject({ decision: 'approved', automatic: false });
      expect(view.answers?.lockedAt).not.toBeNull();
      expect(view.documents).toHaveLength(1);
      expect(view.documents[0]!.analysisStatus).toBe('analyzed');
      const count = (action: string) => view.timeline.filter((e) => e.action === action).length;
      expect([count('assessment.started'), count('assessment.invited'), count('assessment.submitted'), count('assessment.decided'), count('document.uploaded'), count('assessment.finalized')]).toEqual([1, 1, 2, 2, 1, 1]);

      // One invitation of this assessment, never rotated (its link still opens the portal), one decision mail.
      const outbox = (await (await call('GET', '/api/dev/outbox', { token: tokens.procurement })).json()) as { items: { to: string[]; purpose: string; text: string; idempotencyKey?: string }[] };
      const invites = outbox.items.filter((m) => m.purpose === 'invite' && m.idempotencyKey === `invite:${journey.assessmentId}`);
      expect(invites).toHaveLength(1);
      expect(outbox.items.filter((m) => m.purpose === 'decision' && m.to.includes(REQUESTER))).toHaveLength(1);
      expect(outbox.items.filter((m) => m.purpose === 'changes-requested' && m.to.includes(CONTACT))).toHaveLength(1);
      const link = /#token=(tgp_[A-Za-z0-9_-]{43})/.exec(invites[0]!.text)![1]!;
      expect((await call('GET', '/api/portal/assessment', { token: link })).status).toBe(200);

      const audit = (await (await call('GET', '/api/admin/audit/verify', { token: tokens.admin })).json()) as { ok: boolean; problems: unknown[] };
      expect(audit.problems).toEqual([]);
      expect(audit.ok).toBe(true);
      // Still writable after all the crashes: the assessment ended, so the vendor's open-assessment marker was
      // released. The corpus report's period ended long ago, so approval set the next review to today and the daily
      // sweep of the last start may already have begun the reassessment; otherwise it starts now.
      const others = async () => ((await (await call('GET', `/api/assessments?vendorId=${journey.vendorId}`, { token: tokens.procurement })).json()) as { items: { id: string; status: string }[] }).items.filter((a) => a.id !== journey.assessmentId);
      if ((await others()).length === 0) {
        const again = await call('POST', '/api/assessments', { token: tokens.procurement, json: { vendorId: journey.vendorId, dueDate: inDays(40) } });
        expect([201, 409], await again.clone().text()).toContain(again.status);
      }
      const reassessments = await others();
      expect(reassessments, 'exactly one reassessment, open').toHaveLength(1);
      expect(['inviting', 'awaiting-vendor']).toContain(reassessments[0]!.status);
    } finally {
      await server.stop();
    }
  });
});
