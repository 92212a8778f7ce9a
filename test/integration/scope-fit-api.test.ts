/** Scope fit through the API: a payroll vendor whose SOC 2 report covers its marketing website, and security's override. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReport } from '../fixtures/soc2-corpus/render-report.ts';
import type { SocReportSpec } from '../fixtures/soc2-corpus/spec-types.ts';
import { corpusSpecs } from '../fixtures/soc2-corpus/specs.ts';
import { answerEverything, inDays, portalTokenFromOutbox, registerVendor, startAssessmentFor, upload } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let id: string;
let security: string;
let procurement: string;

interface ScopeFitJson {
  verdict: string;
  computedVerdict: string;
  systemName: string | null;
  services: { service: string; status: string; citation: { field: string; page: number | null } | null; explanation: string }[];
  categories: { category: string; covered: boolean; citation: { page: number | null } | null }[];
  override: { verdict: string; reason: string } | null;
}
interface ScoreJson {
  score: { score: number; contributions: { id: string; points: number; source: { kind: string; field?: string; page?: number | null } }[] };
}

/** A clean, fresh SOC 2 Type II of the corpus, rendered for a system named "Marketing Website". */
async function marketingWebsiteReport(): Promise<Buffer> {
  const base = corpusSpecs.find((s): s is SocReportSpec => s.id === 'classic-01-unqualified')!;
  const spec: SocReportSpec = { ...base, id: 'scope-fit-marketing', system: 'Marketing Website', exceptions: [], subservice: [], periodStart: inDays(-396), periodEnd: inDays(-31), reportDate: inDays(-14) };
  return Buffer.from((await renderReport(spec)).bytes);
}

beforeAll(async () => {
  stack = await startTestStack();
  security = await stack.tokenFor('security');
  procurement = await stack.tokenFor('procurement');
  const vendorId = await registerVendor(stack, { services: ['Payroll processing'], dataClassification: 'confidential', dataTypes: ['employee'] });
  id = await startAssessmentFor(stack, vendorId);
  const portal = await portalTokenFromOutbox(stack, 'security@acme.example');
  await answerEverything(stack, portal);
  expect((await upload(stack, portal, await marketingWebsiteReport())).status).toBe(201);
  await stack.call('POST', '/api/portal/submit', { token: portal });
  await stack.settle();
});
afterAll(async () => stack.dispose());

const scopeFit = async () => (await (await stack.call('GET', `/api/assessments/${id}/scope-fit`, { token: procurement })).json()) as ScopeFitJson;
const score = async () => (await (await stack.call('GET', `/api/assessments/${id}/score`, { token: security })).json()) as ScoreJson;

describe('scope fit on the assessment', () => {
  it('finds that the report covers the marketing website, not the payroll we buy, citing the page of the system name', async () => {
    const fit = await scopeFit();
    expect(fit).toMatchObject({ verdict: 'mismatch', computedVerdict: 'mismatch', systemName: 'Marketing Website system', override: null });
    expect(fit.services).toEqual([
      { service: 'Payroll processing', status: 'not-covered', matches: [], comparedWith: 'Marketing Website system', citation: { field: 'systemName', page: expect.any(Number), quote: expect.stringContaining('Marketing Website') }, explanation: expect.stringContaining('"payroll"') },
    ]);
    expect(fit.categories.map((c) => [c.category, c.covered])).toEqual([
      ['security', true],
      ['confidentiality', true],
      ['privacy', false],
    ]);
  });

  it('adds the scope-mismatch penalty to the score and raises its finding, both cited to the report', async () => {
    const contribution = (await score()).score.contributions.find((c) => c.id.endsWith(':scope-mismatch'));
    expect(contribution).toMatchObject({ points: 10, source: { kind: 'document', field: 'systemName', page: expect.any(Number) } });
    const findings = ((await (await stack.call('GET', `/api/assessments/${id}/findings`, { token: security })).json()) as { items: { id: string; severity: string; source: { page: number | null } }[] }).items;
    expect(findings.find((f) => f.id.endsWith(':scope-mismatch'))).toMatchObject({ severity: 'high', source: { page: contribution!.source.page } });
  });

  it('lets only security and admin override the verdict', async () => {
    const res = await stack.call('POST', `/api/assessments/${id}/scope-fit/override`, { token: procurement, body: { verdict: 'fit', reason: 'The website platform includes the payroll module we use.' } });
    expect(res.status).toBe(403);
  });

  it('refuses an override without a reason of the policy’s length, with a stable code, and changes nothing', async () => {
    const before = await score();
    const res = await stack.call('POST', `/api/assessments/${id}/scope-fit/override`, { token: security, body: { verdict: 'fit', reason: 'fine' } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: string; errors: { path: string }[] }).errors[0]!.path).toBe('reason');
    expect((await score()).score.score).toBe(before.score.score);
  });

  it('applies security’s override with its reason: the penalty goes, the computed verdict stays visible, the change is audited', async () => {
    const before = await score();
    const res = await stack.call('POST', `/api/assessments/${id}/scope-fit/override`, { token: security, body: { verdict: 'fit', reason: 'The website platform includes the payroll module we use (contract schedule 2).' } });
    expect(res.status).toBe(200);
    expect((await res.json()) as ScopeFitJson).toMatchObject({ verdict: 'fit', computedVerdict: 'mismatch', override: { verdict: 'fit', reason: 'The website platform includes the payroll module we use (contract schedule 2).' } });
    const after = await score();
    expect(after.score.contributions.some((c) => c.id.endsWith(':scope-mismatch'))).toBe(false);
    expect(after.score.score).toBe(before.score.score - 10);
    const view = (await (await stack.call('GET', `/api/assessments/${id}`, { token: security })).json()) as { timeline: { action: string; summary: string }[] };
    expect(view.timeline.find((e) => e.action === 'scope-fit.overridden')?.summary).toMatch(/^Scope fit set to fit \(computed: mismatch\); residual risk \d+ → \d+\./);
  });
});

describe('the risk policy for the pages', () => {
  it('gives staff the policy in force, with the staleness threshold the pages need', async () => {
    const res = await stack.call('GET', '/api/risk-policy', { token: procurement });
    expect(res.status).toBe(200);
    const policy = (await res.json()) as { version: string; assurance: { staleness: { staleAfterMonths: number } }; rules: Record<string, unknown> };
    expect([policy.version, policy.assurance.staleness.staleAfterMonths, 'scope-mismatch' in policy.rules]).toEqual(['2026-12', 12, true]);
  });
});
