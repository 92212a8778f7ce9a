/** Scores, findings, CUEC tasks, overrides and the register, through the API, on one reviewed assessment. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerEverything, corpusPdf, inDays, isCleanType2, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let id: string;
let vendorId: string;
let security: string;
let procurement: string;

interface FindingJson {
  id: string;
  title: string;
  severity: string;
  status: string;
  source: { kind: string; page?: number | null };
}

beforeAll(async () => {
  stack = await startTestStack();
  security = await stack.tokenFor('security');
  procurement = await stack.tokenFor('procurement');
  vendorId = await registerVendor(stack, { criticality: 'critical', dataClassification: 'confidential', dataTypes: ['personal'] });
  id = await startAssessmentFor(stack, vendorId);
  const portal = await portalTokenFromOutbox(stack, 'security@acme.example');
  await answerEverything(stack, portal);
  await upload(stack, portal, await corpusPdf(isCleanType2));
  await stack.call('POST', '/api/portal/submit', { token: portal });
  await stack.settle();
});
afterAll(async () => stack.dispose());

const findings = async () => ((await (await stack.call('GET', `/api/assessments/${id}/findings`, { token: security })).json()) as { items: FindingJson[] }).items;

describe('score', () => {
  it('names a source for every contribution: a question, a report page, a profile field or a policy rule', async () => {
    const body = (await (await stack.call('GET', `/api/assessments/${id}/score`, { token: procurement })).json()) as { score: { contributions: { source: { kind: string; page?: number | null; questionId?: string } }[] } };
    for (const c of body.score.contributions) expect(['question', 'document', 'profile', 'policy']).toContain(c.source.kind);
    expect(body.score.contributions.some((c) => c.source.kind === 'document' && typeof c.source.page === 'number')).toBe(true);
    expect(body.score.contributions.some((c) => c.source.kind === 'question' && c.source.questionId)).toBe(true);
  });

  it('keeps the computed rating beside a security override and audits it', async () => {
    const res = await stack.call('POST', `/api/assessments/${id}/score/override`, { token: security, body: { rating: 'low', justification: 'Compensating contract clauses and our own monitoring cover the exceptions.' } });
    expect(res.status).toBe(200);
    const { score } = (await res.json()) as { score: { rating: string; override: { rating: string; computedRating: string } } };
    expect(score.override.rating).toBe('low');
    expect(score.override.computedRating).toBe(score.rating);
    const timeline = (await (await stack.call('GET', `/api/assessments/${id}`, { token: security })).json()) as { timeline: { action: string }[] };
    expect(timeline.timeline.map((e) => e.action)).toContain('score.overridden');
  });

  it('refuses an override without a real justification', async () => {
    const res = await stack.call('POST', `/api/assessments/${id}/score/override`, { token: security, body: { rating: 'low', justification: 'ok' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('justification');
  });

  it('lets only security and admin override', async () => {
    const res = await stack.call('POST', `/api/assessments/${id}/score/override`, { token: procurement, body: { rating: 'low', justification: 'Procurement should not be able to do this at all.' } });
    expect(res.status).toBe(403);
  });
});

describe('findings', () => {
  it('raises findings from the report exceptions, each citing its page', async () => {
    const items = await findings();
    const exception = items.find((f) => /Exception on CC6/.test(f.title));
    expect(exception).toBeDefined();
    expect(exception!.source).toMatchObject({ kind: 'document', page: expect.any(Number) });
  });

  it('accepts a risk with a justification and an expiry, then reopens it', async () => {
    const [first] = await findings();
    const accept = await stack.call('POST', `/api/assessments/${id}/findings/${encodeURIComponent(first!.id)}`, {
      token: security,
      body: { kind: 'accept-risk', justification: 'Vendor remediated; retest scheduled in the next audit period.', expiresOn: inDays(90) },
    });
    expect(accept.status, await accept.clone().text()).toBe(200);
    expect(await accept.json()).toMatchObject({ status: 'risk-accepted', riskAcceptance: { expiresOn: inDays(90) } });
    const reopen = await stack.call('POST', `/api/assessments/${id}/findings/${encodeURIComponent(first!.id)}`, { token: security, body: { kind: 'reopen', reason: 'Retest failed' } });
    expect(await reopen.json()).toMatchObject({ status: 'open' });
  });

  it('refuses a risk acceptance that expires in more than a year', async () => {
    const [first] = await findings();
    const res = await stack.call('POST', `/api/assessments/${id}/findings/${encodeURIComponent(first!.id)}`, {
      token: security,
      body: { kind: 'accept-risk', justification: 'A very long acceptance that policy should refuse outright.', expiresOn: inDays(500) },
    });
    expect(res.status).toBe(400);
  });

  it('answers 404 for a finding that does not exist', async () => {
    const res = await stack.call('POST', `/api/assessments/${id}/findings/nope`, { token: security, body: { kind: 'close', note: 'x' } });
    expect(res.status).toBe(404);
  });
});

describe('CUEC tasks', () => {
  it('turns the report’s complementary user entity controls into our open tasks', async () => {
    const tasks = ((await (await stack.call('GET', `/api/assessments/${id}/tasks`, { token: procurement })).json()) as { items: { id: string; owner: string; status: string; text: string }[] }).items;
    expect(tasks.length).toBeGreaterThan(0);
    expect(tasks.every((t) => t.owner === 'us' && t.status === 'open' && t.text.length > 10)).toBe(true);
    const assign = await stack.call('POST', `/api/assessments/${id}/tasks/${encodeURIComponent(tasks[0]!.id)}`, { token: procurement, body: { kind: 'assign', assignee: 'it-ops@example.com' } });
    expect(assign.status).toBe(200);
    expect(await assign.json()).toMatchObject({ assignee: 'it-ops@example.com' });
  });
});

describe('risk register', () => {
  it('lists the vendor with its rating, tier and open findings', async () => {
    const body = (await (await stack.call('GET', '/api/risk-register?sort=rating&order=desc', { token: procurement })).json()) as { items: { vendorId: string; rating: string; tier: number; openFindings: number; overridden: boolean }[] };
    const line = body.items.find((l) => l.vendorId === vendorId)!;
    expect(line).toMatchObject({ rating: 'low', overridden: true });
    expect(line.openFindings).toBeGreaterThan(0);
  });

  it('filters by rating', async () => {
    const body = (await (await stack.call('GET', '/api/risk-register?rating=critical', { token: procurement })).json()) as { items: { vendorId: string }[] };
    expect(body.items.map((l) => l.vendorId)).not.toContain(vendorId);
  });

  it('exports CSV whose cells cannot run as spreadsheet formulas', async () => {
    await registerVendor(stack, { name: '=HYPERLINK("http://evil.example")' });
    const csv = await (await stack.call('GET', '/api/risk-register?format=csv', { token: procurement })).text();
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });
});

describe('questionnaire library', () => {
  it('lists the four shipped templates', async () => {
    const body = (await (await stack.call('GET', '/api/questionnaires', { token: procurement })).json()) as { items: { id: string; questionCount: number }[] };
    expect(body.items.map((t) => t.id).sort()).toEqual(['availability-critical', 'baseline-security', 'privacy-dpa', 'saas-lite']);
  });

  it('answers 404 for an unknown template', async () => {
    expect((await stack.call('GET', '/api/questionnaires/nope', { token: procurement })).status).toBe(404);
  });
});
