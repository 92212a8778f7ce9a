/**
 * Sending a document: the whole upload in one function, so that its transport can change (a presigned S3 post, issue
 * on presigned uploads) without touching the page. XMLHttpRequest rather than fetch, for the progress events.
 */
import type { DocumentKind, PortalDocument } from '../api-types.ts';
import { NETWORK_PROBLEM, problemOf, type ApiResult } from '../common/api.ts';
import { getToken } from '../common/session.ts';

export interface UploadTarget {
  /** A new document (POST) or a replacement of this document's file (PUT). */
  replaces?: string;
}

/** Uploads (or replaces) a document; `onProgress` gets 0-100. Never rejects: a failure is a problem in words. */
export function uploadDocument(file: File, kind: DocumentKind, target: UploadTarget, onProgress: (percent: number) => void): Promise<ApiResult<PortalDocument>> {
  const form = new FormData();
  form.set('kind', kind);
  form.set('file', file, file.name);
  const method = target.replaces === undefined ? 'POST' : 'PUT';
  const path = target.replaces === undefined ? '/api/portal/documents' : `/api/portal/documents/${encodeURIComponent(target.replaces)}`;
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader('authorization', `Bearer ${getToken('portal') ?? ''}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 200 || xhr.status === 201) resolve({ ok: true, status: xhr.status, data: data as PortalDocument });
      else resolve({ ok: false, status: xhr.status, problem: problemOf(xhr.status, data) });
    });
    const failed = () => resolve({ ok: false, status: 0, problem: { ...NETWORK_PROBLEM, title: 'The upload did not reach the server', detail: 'check the connection and try again.' } });
    xhr.addEventListener('error', failed);
    xhr.addEventListener('abort', failed);
    xhr.addEventListener('timeout', failed);
    xhr.send(form);
  });
}
