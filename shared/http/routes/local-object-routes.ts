/**
 * Local mode only: the local server plays S3 for the signed upload forms and download URLs the filesystem store
 * issues, answering as S3 does (204 on a stored post, XML errors with S3's codes), so that the browser code and the
 * tests take the same two-step path as in AWS.
 */
import type { Context } from 'hono';
import { ObjectRequestRefusedError, type LocalObjectEndpoint } from '../../ports/document-store.ts';
import { PUBLIC } from '../access.ts';
import type { ApiBuilder } from '../api-builder.ts';

export const LOCAL_UPLOAD_PATH = '/api/local-uploads';
export const LOCAL_DOWNLOAD_PATH = '/api/local-downloads';

const xmlEscape = (text: string) => text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** An error in S3's XML shape. */
export function s3ErrorResponse(c: Context, code: string, message: string, status: 400 | 403 | 404): Response {
  return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error>`, status, { 'content-type': 'application/xml' });
}

export function registerLocalObjectRoutes(api: ApiBuilder, endpoint: LocalObjectEndpoint | undefined): void {
  if (!endpoint) return;
  const refused = (c: Context, error: unknown) => {
    if (error instanceof ObjectRequestRefusedError) return s3ErrorResponse(c, error.s3Code, error.message, error.status);
    throw error;
  };

  api.plain(
    'POST',
    LOCAL_UPLOAD_PATH,
    PUBLIC,
    async (c) => {
      let form: Record<string, unknown>;
      try {
        form = await c.req.parseBody();
      } catch {
        return s3ErrorResponse(c, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', 400);
      }
      const file = form.file;
      if (!(file instanceof File)) return s3ErrorResponse(c, 'InvalidArgument', 'POST requires exactly one file upload per request.', 400);
      const fields = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      try {
        await endpoint.acceptUpload(fields, new Uint8Array(await file.arrayBuffer()));
      } catch (error) {
        return refused(c, error);
      }
      return c.body(null, 204);
    },
    { localOnly: true },
  );

  api.plain(
    'GET',
    LOCAL_DOWNLOAD_PATH,
    PUBLIC,
    async (c) => {
      try {
        const file = await endpoint.openDownload(c.req.query());
        return c.body(new Uint8Array(file.body), 200, { 'content-type': file.contentType, 'content-disposition': file.contentDisposition, 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' });
      } catch (error) {
        return refused(c, error);
      }
    },
    { localOnly: true },
  );
}
