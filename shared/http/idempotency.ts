/**
 * Idempotency-Key on POST routes: the first request with a key runs; a retry with the same key and body gets the
 * stored answer (header Idempotent-Replayed: true); the same key with another body is refused (422); a retry
 * while the first still runs gets 409. Keys are scoped to the caller and the route.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { IdempotencyStore } from '../ports/idempotency-store.ts';
import type { AppEnv } from './access.ts';
import { problem } from './problem.ts';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export function idempotency(store: IdempotencyStore, now: () => Date): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    if (!KEY.test(key)) return problem(c, 400, 'validation-failed', 'Invalid Idempotency-Key', undefined, [{ path: 'header.idempotency-key', message: '8-128 letters, digits, dot, dash, underscore or colon' }]);
    const caller = c.get('principal')?.subject ?? (c.get('portal') ? `portal:${c.get('portal').assessmentId}` : 'anonymous');
    const scope = `${caller} ${c.req.method} ${c.req.path}`;
    const body = await c.req.text();
    const requestHash = createHash('sha256').update(body).digest('base64url');
    const start = await store.begin(scope, key, requestHash, now());
    if (start.kind === 'replay') {
      return c.body(start.response.body, start.response.status as 200, { 'content-type': start.response.contentType, 'idempotent-replayed': 'true' });
    }
    if (start.kind === 'in-progress') return problem(c, 409, 'idempotency-in-progress', 'A request with this Idempotency-Key is still running; retry shortly');
    if (start.kind === 'mismatch') return problem(c, 422, 'idempotency-key-reused', 'This Idempotency-Key was used with a different body');
    try {
      await next();
    } catch (error) {
      await store.abandon(scope, key);
      throw error;
    }
    // Errors are turned into responses after this middleware returns; c.error tells that one happened.
    if (c.error || c.res.status >= 500) {
      await store.abandon(scope, key);
      return;
    }
    await store.complete(scope, key, { status: c.res.status, body: await c.res.clone().text(), contentType: c.res.headers.get('content-type') ?? 'application/json' });
  };
}
