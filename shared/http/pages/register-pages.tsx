/**
 * The web interface: server-rendered shells (hono/jsx) and their client scripts. Shells are public and hold no
 * records; the scripts call the role-checked JSON API with the user's bearer token (docs/adr/0004-web-ui.md).
 */
import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { AppDeps } from '../../app/deps.ts';
import { ForbiddenError, ValidationError } from '../../domain/errors.ts';
import { isRole } from '../../domain/roles.ts';
import { PUBLIC, type AppEnv } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';
import { ASSETS } from './assets/index.ts';
import { Layout, type PageArea } from './layout.tsx';
import { registerUiApiRoutes } from './ui-api-routes.ts';
import {
  AssessmentPageView,
  AuthCallbackView,
  DashboardView,
  OutboxView,
  PortalOpenView,
  PortalView,
  ReviewQueueView,
  SignInView,
  VendorIntakeView,
  VendorListView,
  VendorPageView,
} from './views.tsx';
import { FourthPartiesView, FourthPartyView } from './fourth-party-views.tsx';

/** Scripts and styles only from this origin, no inline code, no framing: a page can run nothing it did not ship. */
const contentSecurityPolicy = (connectTo: string[]) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectTo].join(' '),
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

interface PageContext {
  localMode: boolean;
  maxUploadBytes: number;
  hostedSignIn: { domain: string; clientId: string } | undefined;
  /** Where the portal posts files (the S3 bucket in AWS; none locally, where the server itself takes them). */
  documentsOrigin: string | undefined;
}

interface PageSpec {
  path: string;
  title: string;
  page: string;
  area: PageArea;
  body: (context: PageContext) => JSX.Element;
  localOnly?: boolean;
  /** Only with a Cognito hosted UI (AWS mode). */
  hostedOnly?: boolean;
}

const PAGES: PageSpec[] = [
  { path: '/sign-in', title: 'Sign in', page: 'sign-in', area: 'public', body: (ctx) => <SignInView localMode={ctx.localMode} hostedSignIn={ctx.hostedSignIn} /> },
  { path: '/auth/callback', title: 'Signing in', page: 'auth-callback', area: 'public', body: (ctx) => <AuthCallbackView hostedSignIn={ctx.hostedSignIn} />, hostedOnly: true },
  { path: '/vendors', title: 'Vendors', page: 'vendors', area: 'staff', body: () => <VendorListView /> },
  { path: '/vendors/new', title: 'Register a vendor', page: 'vendor-new', area: 'staff', body: () => <VendorIntakeView /> },
  { path: '/vendors/:id', title: 'Vendor', page: 'vendor', area: 'staff', body: () => <VendorPageView /> },
  { path: '/assessments/:id', title: 'Assessment', page: 'assessment', area: 'staff', body: () => <AssessmentPageView /> },
  { path: '/review', title: 'Review queue', page: 'review', area: 'staff', body: () => <ReviewQueueView /> },
  { path: '/dashboard', title: 'Portfolio dashboard', page: 'dashboard', area: 'staff', body: () => <DashboardView /> },
  { path: '/fourth-parties', title: 'Fourth parties', page: 'fourth-parties', area: 'staff', body: () => <FourthPartiesView /> },
  { path: '/fourth-parties/:provider', title: 'Fourth party', page: 'fourth-party', area: 'staff', body: () => <FourthPartyView /> },
  { path: '/outbox', title: 'Outbox', page: 'outbox', area: 'staff', body: () => <OutboxView />, localOnly: true },
  { path: '/portal/open', title: 'Your security assessment', page: 'portal-open', area: 'portal', body: () => <PortalOpenView /> },
  { path: '/portal', title: 'Security assessment', page: 'portal', area: 'portal', body: (ctx) => <PortalView maxUploadBytes={ctx.maxUploadBytes} /> },
];

/**
 * Every GET path the web interface serves in AWS mode (Hono form), for the HTTP API's unauthorized routes: the
 * shells and assets are public; the data they load goes through /api/* and its authorizer.
 */
export const AWS_PAGE_PATHS: readonly string[] = ['/', '/assets/:file', ...PAGES.filter((p) => !p.localOnly).map((p) => p.path)];

function renderPage(c: Context<AppEnv>, spec: PageSpec, context: PageContext): Response {
  // The sign-in callback trades the code for tokens at the Cognito domain, the portal posts files to the documents
  // bucket; no other page talks to another origin.
  const otherOrigins = spec.hostedOnly && context.hostedSignIn ? [context.hostedSignIn.domain] : spec.page === 'portal' && context.documentsOrigin ? [context.documentsOrigin] : [];
  c.header('Content-Security-Policy', contentSecurityPolicy(otherOrigins));
  c.header('Cache-Control', 'no-store');
  return c.html(
    '<!doctype html>' +
      (
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- Layout and the page bodies are synchronous components: the element is an HtmlEscapedString (a String), never a Promise.
        <Layout title={spec.title} page={spec.page} area={spec.area} localMode={context.localMode}>
          {spec.body(context)}
        </Layout>
      ).toString(),
  );
}

const isLoopback = (address: string) => /^(127\.|::1$|::ffff:127\.)/.test(address);

/** Registers the pages, their assets and the local sign-in, each with its access declaration. */
export function registerPages(api: ApiBuilder, deps: AppDeps): void {
  const localMode = deps.mode === 'local';
  const context: PageContext = { localMode, maxUploadBytes: deps.maxUploadBytes, hostedSignIn: deps.hostedSignIn, documentsOrigin: deps.documentsOrigin };
  registerUiApiRoutes(api, deps);

  api.plain('GET', '/', PUBLIC, (c) => c.redirect('/sign-in', 302));
  for (const spec of PAGES) {
    if (spec.hostedOnly && !deps.hostedSignIn) continue;
    api.plain('GET', spec.path, PUBLIC, (c) => renderPage(c, spec, context), { localOnly: spec.localOnly ?? false });
  }

  api.plain('GET', '/assets/:file', PUBLIC, (c) => {
    const asset = ASSETS.get(c.req.param('file') ?? '');
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  });

  const signIn = deps.localSignIn;
  if (signIn) {
    // Local mode only: hands out a demo user's token, as `npx trustgate token` does on the same machine.
    api.plain(
      'POST',
      '/auth/local/sign-in',
      PUBLIC,
      async (c) => {
        // The demo users are for the person at this machine: a server bound to a network interface must not hand
        // out tokens to its neighbours (x-forwarded-for is not trusted here, only the socket).
        const remote = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
        if (remote !== undefined && !isLoopback(remote)) throw new ForbiddenError('Demo sign-in works only from the machine running trustgate; use npx trustgate token there');
        if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) throw new ValidationError('Send {"role": …} as application/json', [{ path: 'role', message: 'required' }]);
        const body = (await c.req.json().catch(() => null)) as { role?: unknown } | null;
        const role = typeof body?.role === 'string' ? body.role : '';
        if (!isRole(role)) throw new ValidationError('Unknown role', [{ path: 'role', message: 'one of procurement, security, admin' }]);
        c.header('Cache-Control', 'no-store');
        return c.json({ token: await signIn(role), role });
      },
      { localOnly: true },
    );
  }
}
