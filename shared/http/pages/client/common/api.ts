/**
 * The one way the pages call the JSON API: the bearer token of the page's kind (staff or portal), JSON in and out,
 * and a result that is either the data or a problem in words. A request that never reached the server (offline, DNS,
 * a dropped connection) becomes a problem too, so every caller shows a message instead of failing silently.
 */
import type { Problem } from '../api-types.ts';
import { getToken, signInAgain, type TokenKind } from './session.ts';

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; problem: Problem };

/** The problem of a request that got no answer (status 0: no HTTP status exists). */
export const NETWORK_PROBLEM: Problem = {
  type: 'about:blank',
  title: 'The server could not be reached',
  status: 0,
  code: 'network-error',
  detail: 'check the connection and try again; nothing was changed by this attempt.',
};

/** Reads an answer's body as a problem: problem+json as sent, anything else (a proxy's HTML page) in words. */
export function problemOf(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && typeof (body as Problem).title === 'string') return body as Problem;
  return { type: 'about:blank', title: `The server answered ${status}`, status, code: 'unexpected-response', detail: 'try again in a moment.' };
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Calls the API. `T` is the type of the success body (see api-types.ts). */
export async function request<T>(kind: TokenKind, method: Method, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
  const token = getToken(kind);
  if (token) headers.authorization = `Bearer ${token}`;
  const init: RequestInit = { method, headers, credentials: 'omit', cache: 'no-store' };
  if (body !== undefined) {
    if (body instanceof FormData) init.body = body;
    else {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
  }
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    return { ok: false, status: 0, problem: NETWORK_PROBLEM };
  }
  let data: unknown;
  try {
    const type = res.headers.get('content-type') ?? '';
    data = res.status === 204 ? null : type.includes('json') ? await res.json() : await res.text();
  } catch {
    // The connection dropped while the body was read: the outcome is unknown, say so.
    return { ok: false, status: 0, problem: { ...NETWORK_PROBLEM, detail: 'the answer was cut off; reload the page to see whether the change was made.' } };
  }
  if (res.status === 401 && kind === 'staff') signInAgain();
  return res.ok ? { ok: true, status: res.status, data: data as T } : { ok: false, status: res.status, problem: problemOf(res.status, data) };
}
