/**
 * The app served by @hono/node-server in this process, exactly as `npm start` serves it, and raw HTTP requests that
 * app.request() cannot make: chunked bodies, bodies without Content-Length, a chosen socket.
 */
import { request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/** Serves `fetch` on a free loopback port with the options functions/local-server.ts uses. */
export function serveOverNode(fetch: (request: Request, env: unknown) => Response | Promise<Response>): Promise<ServedApp> {
  return new Promise((resolveServed) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: false }, (info: AddressInfo) => {
      resolveServed({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * How the body travels: `chunked` (Transfer-Encoding: chunked, no Content-Length), `none` (no body and neither
 * header, as `curl -X POST` sends), `empty` (Content-Length: 0), or `sized` (Content-Length, one write).
 */
export type BodyFraming = { kind: 'chunked'; chunks: string[] } | { kind: 'none' } | { kind: 'empty' } | { kind: 'sized'; body: string };

export function rawRequest(baseUrl: string, method: string, path: string, headers: Record<string, string>, framing: BodyFraming): Promise<RawAnswer> {
  const url = new URL(path, baseUrl);
  // node:http adds Content-Length: 0 to a POST without a body; only a hand-written request has neither header.
  if (framing.kind === 'none') return bodilessRequest(url, method, headers);
  return new Promise((resolveAnswer, reject) => {
    const all: Record<string, string> = { ...headers };
    if (framing.kind === 'chunked') all['transfer-encoding'] = 'chunked';
    if (framing.kind === 'empty') all['content-length'] = '0';
    if (framing.kind === 'sized') all['content-length'] = String(Buffer.byteLength(framing.body));
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: all }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolveAnswer({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (framing.kind === 'chunked') for (const chunk of framing.chunks) req.write(chunk);
    if (framing.kind === 'sized') req.write(framing.body);
    req.end();
  });
}

function bodilessRequest(url: URL, method: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolveAnswer, reject) => {
    const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    const socket = connect(Number(url.port), url.hostname, () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', reject);
    socket.on('end', () => {
      const raw = Buffer.concat(received);
      const split = raw.indexOf('\r\n\r\n');
      const head = raw.subarray(0, split).toString('latin1').split('\r\n');
      const responseHeaders = new Map(head.slice(1).map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]));
      const body = raw.subarray(split + 4);
      const text = (responseHeaders.get('transfer-encoding') === 'chunked' ? dechunk(body) : body).toString('utf8');
      resolveAnswer({ status: Number(head[0]!.split(' ')[1]), contentType: responseHeaders.get('content-type') ?? '', text });
    });
  });
}

/** Decodes a chunked response body (sizes count bytes, so this works on the bytes). */
function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = body;
  for (;;) {
    const end = rest.indexOf('\r\n');
    const size = parseInt(rest.subarray(0, end).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(rest.subarray(end + 2, end + 2 + size));
    rest = rest.subarray(end + 2 + size + 2);
  }
}
