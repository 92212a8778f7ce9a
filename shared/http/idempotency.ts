/**
 * Idempotency-Key on POST routes, JSON and multipart: the first request with a key runs; a retry with the same key
 * and the same content gets the stored answer (header Idempotent-Replayed: true); the same key with other content is
 * refused (422); a retry while the first still runs gets 409. Keys are scoped to the caller and the route. Content
 * is compared as parsed (JSON with its keys sorted; a form field by field, files by their bytes), so a client that
 * re-serializes its retry, or a browser that picks a new multipart boundary, still matches.
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
    const requestHash = await contentHash(c.req.raw.headers.get('content-type') ?? '', await c.req.arrayBuffer());
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

/** A hash of what the body says rather than how it was written; bytes that do not parse are hashed as they are. */
async function contentHash(contentType: string, body: ArrayBuffer): Promise<string> {
  const hash = createHash('sha256');
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  try {
    if (type === 'application/json') {
      hash.update(`json\n${canonicalJson(JSON.parse(new TextDecoder().decode(body)))}`);
      return hash.digest('base64url');
    }
    if (type === 'multipart/form-data') {
      const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
      const fields: string[] = [];
      for (const [name, value] of form.entries()) {
        const content = typeof value === 'string' ? `text:${value}` : `file:${value.name}:${value.type}:${createHash('sha256').update(new Uint8Array(await value.arrayBuffer())).digest('base64url')}`;
        fields.push(JSON.stringify([name, content]));
      }
      hash.update(`form\n${fields.sort().join('\n')}`);
      return hash.digest('base64url');
    }
  } catch {
    // Not what the type says: the route will refuse it; compare the bytes.
  }
  hash.update('bytes\n').update(new Uint8Array(body));
  return hash.digest('base64url');
}

/** JSON with object keys sorted at every depth: one text for every way of writing the same value. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
