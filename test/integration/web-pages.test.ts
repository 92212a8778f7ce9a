/** The web interface's server side: shells without records, the local sign-in, and the routes the pages read. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../shared/http/app.ts';
import { AWS_PAGE_PATHS } from '../../shared/http/pages/register-pages.tsx';
import { portalTokenFromOutbox, registerVendor, startAssessmentFor } from '../support/journey.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let vendorId: string;
let portalToken: string;
const contactEmail = 'sec@pages.example';

beforeAll(async () => {
  stack = await startTestStack();
  vendorId = await registerVendor(stack, { name: 'Zebra Shell Secrets Ltd', contactEmail, criticality: 'low', dataClassification: 'internal' });
  await startAssessmentFor(stack, vendorId);
  portalToken = await portalTokenFromOutbox(stack, contactEmail);
});
afterAll(async () => stack.dispose());

describe('web pages', () => {
  it('serves a vendor page shell that names no vendor data, under a strict content security policy', async () => {
    const res = await stack.call('GET', `/vendors/${vendorId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<h2 id="h-profile">Profile</h2>');
    expect(html).not.toContain('Zebra Shell Secrets');
    expect(html).not.toContain(contactEmail);
  });

  it('labels every form control of every page shell', async () => {
    let checked = 0;
    for (const path of ['/sign-in', '/vendors', '/vendors/new', `/vendors/${vendorId}`, '/assessments/x', '/review', '/dashboard', '/outbox', '/portal/open', '/portal']) {
      const html = await (await stack.call('GET', path)).text();
      const controls = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*>/g)];
      checked += controls.length;
      for (const control of controls) {
        const id = /\bid="([^"]+)"/.exec(control[0])?.[1];
        const wrapped = /<label[^>]*>\s*$/.test(html.slice(0, control.index));
        const labelled = id !== undefined && (html.includes(`for="${id}"`) || /aria-label(ledby)?=/.test(control[0]));
        expect(wrapped || labelled, `${path}: ${control[0]} has a label`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('signs in a local demo user with a token the API accepts for that role only', async () => {
    const res = await stack.call('POST', '/auth/local/sign-in', { body: { role: 'security' } });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const me = await stack.call('GET', '/api/me', { token });
    expect(await me.json()).toMatchObject({ email: 'security@trustgate.local', roles: ['security'] });
    expect((await stack.call('POST', '/api/vendors', { token, body: {} })).status).toBe(403);
  });

  it('refuses a demo sign-in from another machine', async () => {
    const signIn = (remoteAddress: string) =>
      stack.http.app.request('/auth/local/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'admin' }) }, { incoming: { socket: { remoteAddress } } });
    expect((await signIn('192.0.2.7')).status).toBe(403);
    expect((await signIn('::ffff:127.0.0.1')).status).toBe(200);
  });

  it('refuses a sign-in for an unknown role', async () => {
    const res = await stack.call('POST', '/auth/local/sign-in', { body: { role: 'vendor' } });
    expect(res.status).toBe(400);
  });

  it('has no local sign-in and no outbox page in AWS mode', () => {
    const { localSignIn: _ignored, ...awsLike } = stack.deps;
    const { accessTable } = createApp({ ...awsLike, mode: 'aws', outbox: null });
    const paths = accessTable.map((e) => `${e.method} ${e.path}`);
    expect(paths).toContain('GET /sign-in');
    expect(paths).not.toContain('POST /auth/local/sign-in');
    expect(paths).not.toContain('GET /outbox');
    expect(paths).not.toContain('GET /auth/callback');
  });

  it('sends staff to the Cognito hosted UI in AWS mode, and lets only the callback page reach its domain', async () => {
    const { localSignIn: _ignored, ...awsLike } = stack.deps;
    const domain = 'https://trustgate-test.auth.eu-west-1.amazoncognito.com';
    const { app } = createApp({ ...awsLike, mode: 'aws', outbox: null, hostedSignIn: { domain, clientId: 'web-client-1' } });
    const signIn = await (await app.request('/sign-in')).text();
    expect(signIn).toContain(`data-domain="${domain}"`);
    expect(signIn).toContain('data-client-id="web-client-1"');
    expect(signIn).not.toContain('data-sign-in=');
    const callback = await app.request('/auth/callback');
    expect(callback.status).toBe(200);
    expect(callback.headers.get('content-security-policy')).toContain(`connect-src 'self' ${domain}`);
    expect((await app.request('/vendors')).headers.get('content-security-policy')).toContain("connect-src 'self';");
  });

  it('lists for the HTTP API exactly the public GET routes an AWS deployment serves outside /api', () => {
    const { localSignIn: _ignored, ...awsLike } = stack.deps;
    const { accessTable } = createApp({ ...awsLike, mode: 'aws', outbox: null, hostedSignIn: { domain: 'https://d.example', clientId: 'c' } });
    const served = accessTable.filter((e) => e.access.kind === 'public' && e.method === 'GET' && !e.path.startsWith('/api/') && !['/health', '/openapi.json', '/docs'].includes(e.path)).map((e) => e.path);
    expect([...AWS_PAGE_PATHS].sort()).toEqual(served.sort());
  });

  it('preselects the questionnaires the selection policy picks for the vendor', async () => {
    const res = await stack.call('GET', `/api/vendors/${vendorId}/questionnaire-selection`, { token: await stack.tokenFor('procurement') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: { templateId: string }[] }).items.map((i) => i.templateId)).toEqual(['saas-lite']);
  });

  it('shows a conditional question once the answer it waits on is saved', async () => {
    const statusOf = async () => {
      const res = await stack.call('GET', '/api/portal/visibility', { token: portalToken });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: { templateId: string; statuses: Record<string, string> }[] }).items[0]!.statuses['lite-assurance-document'];
    };
    expect(await statusOf()).toBe('pending');
    await stack.call('PUT', '/api/portal/answers', { token: portalToken, body: { templateId: 'saas-lite', answers: { 'lite-assurance': { value: 'none' } } } });
    expect(await statusOf()).toBe('hidden');
    await stack.call('PUT', '/api/portal/answers', { token: portalToken, body: { templateId: 'saas-lite', answers: { 'lite-assurance': { value: 'soc2-type2' } } } });
    expect(await statusOf()).toBe('visible');
  });

  it('reads answers from a CSV without saving them', async () => {
    const csv = 'questionId,answer,compensatingControl\nlite-staff-mfa,no,Hardware keys for admins\nlite-encryption,yes,\n';
    const res = await stack.call('POST', '/api/portal/answers/csv', { token: portalToken, body: { templateId: 'saas-lite', csv } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ answers: { 'lite-staff-mfa': { value: 'no', compensatingControl: 'Hardware keys for admins' }, 'lite-encryption': { value: 'yes' } } });
    const view = (await (await stack.call('GET', '/api/portal/assessment', { token: portalToken })).json()) as { questionnaires: { answers: Record<string, unknown> }[] };
    expect(view.questionnaires[0]!.answers['lite-staff-mfa']).toBeUndefined();
  });

  it('answers every CSV problem with its line', async () => {
    const res = await stack.call('POST', '/api/portal/answers/csv', { token: portalToken, body: { templateId: 'saas-lite', csv: 'questionId,answer\nlite-staff-mfa,perhaps\nno-such-question,yes\n' } });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('invalid-csv');
    expect(problem.errors.map((e) => e.path)).toEqual(['line 2', 'line 3']);
  });
});
