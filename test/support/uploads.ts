/**
 * The browser's upload, from a test: announce it (POST /api/portal/uploads), post the file with the signed form
 * straight to the store (S3 in AWS, the local server's stand-in locally), complete it (POST /api/portal/documents).
 */
export interface UploadOptions {
  fileName?: string;
  kind?: string;
  replacesDocumentId?: string;
  /** What the browser declares; the file's own size unless a test lies. */
  declaredSize?: number;
  contentType?: string;
}

export interface UploadSteps {
  started: Response;
  /** The store's answer to the posted form (S3: 204, or an XML error). */
  posted: Response | null;
  completed: Response | null;
  /** The answer of the last step taken. */
  last: Response;
  uploadId: string | null;
}

/** The API (JSON, portal token) and the store's form endpoint, as the caller reaches them. */
export interface UploadTransport {
  api(method: 'POST', path: string, body: unknown): Promise<Response>;
  postForm(url: string, form: FormData): Promise<Response>;
}

export async function uploadSteps(transport: UploadTransport, bytes: Uint8Array, options: UploadOptions = {}): Promise<UploadSteps> {
  const started = await transport.api('POST', '/api/portal/uploads', {
    fileName: options.fileName ?? 'soc2-report.pdf',
    contentType: options.contentType ?? 'application/pdf',
    size: options.declaredSize ?? bytes.byteLength,
    kind: options.kind ?? 'soc2-report',
    ...(options.replacesDocumentId ? { replacesDocumentId: options.replacesDocumentId } : {}),
  });
  if (started.status !== 201) return { started, posted: null, completed: null, last: started, uploadId: null };
  const { uploadId, upload } = (await started.clone().json()) as { uploadId: string; upload: { url: string; fields: Record<string, string> } };
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.set(name, value);
  // As S3 requires: the file is the last field.
  form.set('file', new Blob([new Uint8Array(bytes)], { type: options.contentType ?? 'application/pdf' }), options.fileName ?? 'soc2-report.pdf');
  const posted = await transport.postForm(upload.url, form);
  if (posted.status >= 300) return { started, posted, completed: null, last: posted, uploadId };
  const completed = await transport.api('POST', '/api/portal/documents', { uploadId });
  return { started, posted, completed, last: completed, uploadId };
}

/** The S3 error code and message of a refused post (`<Error><Code>…</Code><Message>…</Message></Error>`). */
export async function s3ErrorOf(response: Response): Promise<{ code: string | null; message: string | null }> {
  const text = await response.clone().text();
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1] ?? null, message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? null };
}
