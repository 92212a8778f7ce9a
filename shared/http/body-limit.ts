/**
 * Request body size limit that works on every adapter. hono's bodyLimit re-wraps a body without Content-Length
 * (chunked, or no body at all) as `new Request(c.req.raw, …)`; @hono/node-server's request is not an undici Request,
 * so undici throws and every such request answered 500. This one reads the stream up to the limit and builds the new
 * request from its parts (URL, method, headers, the bytes read).
 */
import type { Context, MiddlewareHandler } from 'hono';

export interface BodyLimitOptions {
  maxBytes: number;
  /** The answer once the body is larger than maxBytes. */
  tooLarge: (c: Context) => Response;
  /**
   * Read and discard a too-large body up to this many bytes before answering, so that a client still sending (a
   * browser's upload, fetch) reads the answer instead of a broken pipe. Default: answer at once.
   */
  drainUpToBytes?: number;
}

/** Reads a too-large body to its end (up to `limit` bytes in all), discarding it. */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number, limit: number): Promise<void> {
  let size = alreadyRead;
  while (size <= limit) {
    const { done, value } = await reader.read();
    if (done) return;
    size += value.byteLength;
  }
  await reader.cancel();
}

export function bodyLimit(options: BodyLimitOptions): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) {
      const length = Number.parseInt(declared, 10);
      if (length <= options.maxBytes) return next();
      if (options.drainUpToBytes !== undefined && length <= options.drainUpToBytes) await drain(raw.body.getReader(), 0, options.drainUpToBytes);
      return options.tooLarge(c);
    }
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > options.maxBytes) {
        if (options.drainUpToBytes !== undefined) await drain(reader, size, options.drainUpToBytes);
        else await reader.cancel();
        return options.tooLarge(c);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    const headers = new Headers(raw.headers);
    headers.delete('transfer-encoding');
    headers.set('content-length', String(size));
    c.req.raw = new Request(raw.url, { method: raw.method, headers, body, signal: raw.signal });
    return next();
  };
}
