import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/domain/roles.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack.dispose());

/** Routes Hono serves (middleware registrations are method ALL and are skipped). */
const servedRoutes = () =>
  [...new Set(stack.http.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].sort();

const samplePath = (path: string) => path.replace(/:[^/]+/g, '00000000-0000-0000-0000-000000000000');

describe('route access table', () => {
  it('declares the access of every route the app serves', () => {
    const declared = stack.http.accessTable.map((e) => `${e.method} ${e.path}`).sort();
    expect(servedRoutes()).toEqual(declared);
  });

  it('keeps public routes to the known few', () => {
    const open = stack.http.accessTable.filter((e) => e.access.kind === 'public').map((e) => `${e.method} ${e.path}`).sort();
    // The web pages are shells without records (their scripts call the API with the user's token); the local
    // sign-in exists in local mode only (docs/adr/0004-web-ui.md). The local stand-in for S3 takes what its own
    // signature authorizes, as S3 does (local mode only, docs/adr/0013-direct-uploads.md).
    const pages = ['/', '/assessments/:id', '/assets/:file', '/dashboard', '/fourth-parties', '/fourth-parties/:provider', '/outbox', '/portal', '/portal/open', '/review', '/sign-in', '/vendors', '/vendors/:id', '/vendors/new'];
    expect(open).toEqual(['GET /docs', 'GET /health', 'GET /openapi.json', ...pages.map((p) => `GET ${p}`), 'POST /auth/local/sign-in', 'POST /api/local-uploads', 'GET /api/local-downloads'].sort());
  });

  it('answers 401 to every non-public route without a token', async () => {
    for (const entry of stack.http.accessTable.filter((e) => e.access.kind !== 'public')) {
      const res = await stack.call(entry.method, samplePath(entry.path), entry.method === 'GET' ? {} : { body: {} });
      expect(res.status, `${entry.method} ${entry.path}`).toBe(401);
    }
  });

  it('answers 401 token-expired to every non-public route with an expired token', async () => {
    const expired = await stack.tokens.issueToken({ role: 'admin', email: 'admin@example.com', now: new Date(Date.now() - 2 * 3600_000), expiresInSeconds: 60 });
    for (const entry of stack.http.accessTable.filter((e) => e.access.kind === 'staff')) {
      const res = await stack.call(entry.method, samplePath(entry.path), { token: expired, ...(entry.method === 'GET' ? {} : { body: {} }) });
      expect(res.status, `${entry.method} ${entry.path}`).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('token-expired');
    }
  });

  it('answers 403 to every role a route does not admit', async () => {
    let checked = 0;
    for (const entry of stack.http.accessTable) {
      if (entry.access.kind !== 'staff') continue;
      for (const role of ROLES.filter((r) => !(entry.access as { roles: readonly string[] }).roles.includes(r))) {
        const res = await stack.call(entry.method, samplePath(entry.path), { token: await stack.tokenFor(role), ...(entry.method === 'GET' ? {} : { body: {} }) });
        expect(res.status, `${role} → ${entry.method} ${entry.path}`).toBe(403);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('lets every admitted role past the access check', async () => {
    for (const entry of stack.http.accessTable) {
      if (entry.access.kind !== 'staff' || entry.method !== 'GET') continue;
      for (const role of entry.access.roles) {
        const res = await stack.call(entry.method, samplePath(entry.path), { token: await stack.tokenFor(role) });
        expect([401, 403], `${role} → ${entry.method} ${entry.path}`).not.toContain(res.status);
      }
    }
  });

  it('lets only security and admin change or export corrections of extracted facts; every staff role reads them', () => {
    const corrections = stack.http.accessTable.filter((e) => e.path.includes('/corrections'));
    expect(corrections.map((e) => `${e.method} ${e.path} ${e.access.kind === 'staff' ? e.access.roles.join(',') : e.access.kind}`).sort()).toEqual([
      'DELETE /api/assessments/:id/documents/:documentId/corrections/:field security,admin',
      'GET /api/assessments/:id/documents/:documentId/corrections procurement,security,admin',
      'GET /api/assessments/:id/documents/:documentId/corrections/corpus-case security,admin',
      'PUT /api/assessments/:id/documents/:documentId/corrections/:field security,admin',
    ]);
  });

  it('answers 404 problem+json for an unknown route', async () => {
    const res = await stack.call('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'route-not-found' });
  });

  it('publishes an OpenAPI 3 document that lists the vendor routes with bearer security', async () => {
    const doc = (await (await stack.call('GET', '/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, { security?: unknown[] }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/vendors']!.post!.security).toEqual([{ bearerAuth: [] }]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health', '/api/vendors', '/api/vendors/{id}', '/api/vendors/{id}/audit']));
  });
});
