/**
 * Sending a document: the one upload path, the same in AWS and locally (issue 14, item 1; ADR 13). A PDF goes
 * straight to the document store (S3 in AWS, the local server's stand-in locally), never through the API:
 * (1) announce it, `POST /api/portal/uploads`, and get a signed form; (2) post the form's fields and the file (last)
 * to the form's URL with XMLHttpRequest (for the progress events); (3) complete it, `POST /api/portal/documents
 * { uploadId }`, where the server checks the stored file. A replacement is an upload naming the document it replaces.
 */
import type { DocumentKind, PortalDocument } from '../api-types.ts';
import { NETWORK_PROBLEM, request, type ApiResult } from '../common/api.ts';

export interface UploadTarget {
  /** Replace this document's file instead of adding a document. */
  replaces?: string;
}

interface StartedUpload {
  uploadId: string;
  upload: { url: string; fields: Record<string, string> };
}

/** What S3 (or the stand-in) answers in its XML `<Code>`, in words for the vendor. */
const STORE_REFUSALS: Record<string, string> = {
  EntityTooLarge: 'The file is larger than the upload limit.',
  EntityTooSmall: 'The file is empty.',
  AccessDenied: 'The upload was refused (the upload link expired or was changed). Try again.',
  SignatureDoesNotMatch: 'The upload was refused (the upload link expired or was changed). Try again.',
};

/** The problem a store's refusal stands for, from its XML answer. */
export function storeRefusal(status: number, body: string): { code: string; title: string } {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1] ?? 'upload-refused';
  return { code, title: STORE_REFUSALS[code] ?? `The upload was refused (${code}). Try again.` };
}

function postToStore(upload: StartedUpload['upload'], file: File, onProgress: (percent: number) => void): Promise<ApiResult<null>> {
  return new Promise((resolve) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', upload.url);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true, status: xhr.status, data: null });
      const refusal = storeRefusal(xhr.status, xhr.responseText || '');
      resolve({ ok: false, status: xhr.status, problem: { type: 'about:blank', status: xhr.status, code: refusal.code, title: refusal.title } });
    });
    const failed = () => resolve({ ok: false, status: 0, problem: { ...NETWORK_PROBLEM, title: 'The upload did not reach the server', detail: 'check the connection and try again.' } });
    xhr.addEventListener('error', failed);
    xhr.addEventListener('abort', failed);
    xhr.addEventListener('timeout', failed);
    xhr.send(form);
  });
}

/** Uploads (or replaces) a document; `onProgress` gets 0-100. Never rejects: a failure is a problem in words. */
export async function uploadDocument(file: File, kind: DocumentKind, target: UploadTarget, onProgress: (percent: number) => void): Promise<ApiResult<PortalDocument>> {
  const intent = { fileName: file.name, contentType: 'application/pdf', size: file.size, kind, ...(target.replaces === undefined ? {} : { replacesDocumentId: target.replaces }) };
  const started = await request<StartedUpload>('portal', 'POST', '/api/portal/uploads', intent);
  if (!started.ok) return started;
  const posted = await postToStore(started.data.upload, file, onProgress);
  if (!posted.ok) return posted;
  onProgress(100);
  return request<PortalDocument>('portal', 'POST', '/api/portal/documents', { uploadId: started.data.uploadId });
}
