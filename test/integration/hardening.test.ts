/** Idempotency keys and rate limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../shared/http/app.ts';
import { answerEverything, assessmentOf, portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { sampleIntake, startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack.dispose());

describe('Idempotency-Key', () => {
  it('acts once on a repeated submission and replays the first answer', async () => {
    const id = await startAssessmentFor(stack, await registerVendor(stack, { contactEmail: 'idem@vendor.example' }));
    const portal = await portalTokenFromOutbox(stack, 'idem@vendor.example');
    await answerEverything(stack, portal);
    const headers = { 'idempotency-key': 'submit-once-0001' };
    const first = await stack.call('POST', '/api/portal/submit', { token: portal, headers });
    const second = await stack.call('POST', '/api/portal/submit', { token: portal, headers });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.text()).toBe(await first.text());
    await stack.settle();
    const view = await assessmentOf(stack, id);
    expect(view.timeline.filter((e) => e.action === 'assessment.submitted')).toHaveLength(1);
    const third = await stack.call('POST', '/api/portal/submit', { token: portal, headers: { 'idempotency-key': 'submit-once-0002' } });
    expect(third.status).toBe(409);
  });

  it('creates one vendor for two identical requests with one key', async () => {
    const token = await stack.tokenFor('procurement');
    const body = sampleIntake({ name: 'Idempotent Vendor Ltd' });
    const headers = { 'idempotency-key': 'create-vendor-0001' };
    const a = await stack.call('POST', '/api/vendors', { token, body, headers });
    const b = await stack.call('POST', '/api/vendors', { token, body, headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(((await b.json()) as { id: string }).id).toBe(((await a.json()) as { id: string }).id);
    const list = (await (await stack.call('GET', '/api/vendors?q=Idempotent', { token })).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('refuses the same key with a different body (422)', async () => {
    const token = await stack.tokenFor('procurement');
    const headers = { 'idempotency-key': 'create-vendor-0002' };
    expect((await stack.call('POST', '/api/vendors', { token, body: sampleIntake({ name: 'Key Reuse A' }), headers })).status).toBe(201);
    const reused = await stack.call('POST', '/api/vendors', { token, body: sampleIntake({ name: 'Key Reuse B' }), headers });
    expect(reused.status).toBe(422);
    expect(await reused.json()).toMatchObject({ code: 'idempotency-key-reused' });
  });

  it('scopes keys to the caller: another user may use the same key', async () => {
    const headers = { 'idempotency-key': 'create-vendor-0003' };
    const a = await stack.call('POST', '/api/vendors', { token: await stack.tokenFor('procurement', 'a@example.com'), body: sampleIntake({ name: 'Scoped A' }), headers });
    const b = await stack.call('POST', '/api/vendors', { token: await stack.tokenFor('procurement', 'b@example.com'), body: sampleIntake({ name: 'Scoped B' }), headers });
    expect([a.status, b.status]).toEqual([201, 201]);
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After once an address exceeds the portal limit', async () => {
    const { app } = createApp(stack.deps, { error: () => undefined }, { portalPerMinute: 3, signInPerMinute: 3 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await app.request('/api/portal/assessment', { headers: { authorization: `Bearer tgp_${'B'.repeat(43)}`, 'x-forwarded-for': '203.0.113.9' } });
      statuses.push(res.status);
      retryAfter ??= res.headers.get('retry-after');
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const other = await app.request('/api/portal/assessment', { headers: { authorization: `Bearer tgp_${'B'.repeat(43)}`, 'x-forwarded-for': '198.51.100.7' } });
    expect(other.status).toBe(404);
  });
});
