/** Registers routes with their access declaration, so that no route can be added without one. */
import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { Handler, MiddlewareHandler } from 'hono';
import type { TokenVerifier } from '../ports/token-verifier.ts';
import { enforceAccess, type Access, type AppEnv, type PortalResolver, type RouteAccessEntry } from './access.ts';

/** `/api/vendors/{id}` → `/api/vendors/:id` (Hono's form). */
export const toHonoPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

export class ApiBuilder {
  readonly accessTable: RouteAccessEntry[] = [];
  constructor(
    readonly app: OpenAPIHono<AppEnv>,
    private readonly tokens: TokenVerifier,
    private readonly resolvePortal: PortalResolver,
    private readonly mode: 'local' | 'aws',
    private readonly idempotencyGuard: MiddlewareHandler<AppEnv>,
  ) {}

  /** Adds a documented, validated route guarded by its access declaration. `localOnly` routes exist only in local mode. */
  route<R extends RouteConfig>(route: R, access: Access, handler: RouteHandler<R, AppEnv>, options: { localOnly?: boolean } = {}): void {
    if (options.localOnly && this.mode !== 'local') return;
    this.accessTable.push({ method: route.method.toUpperCase(), path: toHonoPath(route.path), access, localOnly: options.localOnly ?? false });
    const secured = {
      ...route,
      middleware: [enforceAccess(access, this.tokens, this.resolvePortal), ...(route.method === 'post' ? [this.idempotencyGuard] : [])],
      security: access.kind === 'public' ? [] : access.kind === 'portal' ? [{ portalToken: [] }] : [{ bearerAuth: [] }],
      description: [route.description, access.kind === 'public' ? 'Access: public.' : access.kind === 'portal' ? 'Access: the vendor, with the portal token of the assessment.' : `Access: ${access.roles.join(', ')}.`].filter(Boolean).join('\n\n'),
    };
    // The secured copy differs from R only by middleware and docs; the handler's types are those of R.
    this.app.openapi(secured, handler);
  }

  /** A plain (undocumented) route, still declared in the access table. */
  plain(method: 'GET' | 'POST', path: string, access: Access, handler: Handler<AppEnv> | MiddlewareHandler<AppEnv>, options: { localOnly?: boolean } = {}): void {
    if (options.localOnly && this.mode !== 'local') return;
    this.accessTable.push({ method, path, access, localOnly: options.localOnly ?? false });
    const guard = enforceAccess(access, this.tokens, this.resolvePortal);
    if (method === 'GET') this.app.get(path, guard, handler as Handler<AppEnv>);
    else this.app.post(path, guard, handler as Handler<AppEnv>);
  }
}
