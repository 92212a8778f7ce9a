/**
 * Fixed-window request limits per client address, for the routes an outsider can hammer: the portal (guessing or
 * replaying links) and sign-in. Counts live in the process: on Lambda each instance limits on its own and the API
 * Gateway stage throttle is the global ceiling (docs/adr/0005-rate-limits.md).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { problem } from './problem.ts';

export interface RateLimitOptions {
  windowMs: number;
  max: number;
  /** Which counter a request counts against. */
  key: (c: Context) => string;
  now?: () => number;
}

/** Best-effort client address: API Gateway's source IP, else the first X-Forwarded-For hop, else the socket. */
export function clientAddress(c: Context): string {
  const event = (c.env as { event?: { requestContext?: { http?: { sourceIp?: string } } } } | undefined)?.event;
  const fromGateway = event?.requestContext?.http?.sourceIp;
  if (fromGateway) return fromGateway;
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
  if (forwarded) return forwarded;
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  const now = options.now ?? Date.now;
  return async (c, next) => {
    const t = now();
    const key = options.key(c);
    let window = windows.get(key);
    if (!window || t - window.start >= options.windowMs) {
      window = { start: t, count: 0 };
      windows.set(key, window);
      if (windows.size > 10_000) for (const [k, w] of windows) if (t - w.start >= options.windowMs) windows.delete(k);
    }
    window.count++;
    if (window.count > options.max) {
      const retryAfter = Math.ceil((window.start + options.windowMs - t) / 1000);
      c.header('Retry-After', String(Math.max(1, retryAfter)));
      return problem(c, 429, 'rate-limited', 'Too many requests', `Try again in ${Math.max(1, retryAfter)} s`);
    }
    await next();
  };
}
