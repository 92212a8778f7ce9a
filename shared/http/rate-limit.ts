/**
 * Fixed-window request limits per client address, for the routes an outsider can hammer: the portal (guessing or
 * replaying links) and sign-in. Counts live in the process: on Lambda each instance limits on its own and the API
 * Gateway stage throttle is the global ceiling (docs/adr/0005-rate-limits-and-idempotency.md).
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

/** What the platform says about the peer: hono/aws-lambda passes the API Gateway event, @hono/node-server the request. */
interface PlatformEnv {
  event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
  incoming?: { socket?: { remoteAddress?: string } };
}

/**
 * The client's address as far as it can be trusted. The platform's own word is the starting point: API Gateway's
 * source IP (HTTP API v2 or REST API v1), else the socket. X-Forwarded-For is anyone's to write, so it counts only
 * behind `trustedProxyHops` proxies we run: each appends the address it saw, so the client is the entry that many
 * places left of the platform's address, and what the client wrote further left is ignored.
 */
export function clientAddress(c: Context, trustedProxyHops = 0): string {
  const env = c.env as PlatformEnv | undefined;
  const context = env?.event?.requestContext;
  const peer = context?.http?.sourceIp ?? context?.identity?.sourceIp ?? env?.incoming?.socket?.remoteAddress ?? 'unknown';
  if (trustedProxyHops === 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((a) => a.trim()).filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxyHops)]!;
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
