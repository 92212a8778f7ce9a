/** Documents as files under a folder (`.data/documents` for `npm start`): the local stand-in for S3. */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import type { DocumentStore, StoredDocument } from '../../ports/document-store.ts';

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export class FilesystemDocumentStore implements DocumentStore {
  private readonly root: string;
  constructor(
    root: string,
    private readonly options: { uploadBaseUrl: string; signingSecret: string },
  ) {
    this.root = resolve(root);
  }

  async putDocument(key: string, body: Uint8Array, contentType: string): Promise<StoredDocument> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write under a temporary name and hard-link it in: the link fails if the key exists, and a crash never
    // leaves half a document under its key.
    const temp = `${path}.${process.pid}.${randomUUID()}.partial`;
    await writeFile(temp, body);
    try {
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
    await writeFile(`${temp}.meta`, JSON.stringify({ contentType, size: body.byteLength }));
    await rename(`${temp}.meta`, `${path}.meta.json`);
    return { key, contentType, size: body.byteLength };
  }

  async getDocument(key: string): Promise<{ body: Uint8Array; contentType: string } | null> {
    const path = this.pathOf(key);
    try {
      const body = await readFile(path);
      const meta = await readFile(`${path}.meta.json`, 'utf8').catch(() => '{"contentType":"application/octet-stream"}');
      return { body: new Uint8Array(body), contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async createUploadUrl(key: string, contentType: string, options: { maxBytes: number; expiresInSeconds: number }) {
    this.pathOf(key);
    const expires = Math.floor(Date.now() / 1000) + options.expiresInSeconds;
    const payload = `${key}\n${contentType}\n${options.maxBytes}\n${expires}`;
    const signature = createHmac('sha256', this.options.signingSecret).update(payload).digest('base64url');
    const query = new URLSearchParams({ key, contentType, maxBytes: String(options.maxBytes), expires: String(expires), signature });
    return { url: `${this.options.uploadBaseUrl}?${query.toString()}`, method: 'PUT' as const };
  }

  /** Checks a signed local upload URL's parameters (the local equivalent of S3 checking a presigned URL). */
  verifyUploadSignature(params: { key: string; contentType: string; maxBytes: string; expires: string; signature: string }, nowEpochSeconds: number): boolean {
    const payload = `${params.key}\n${params.contentType}\n${params.maxBytes}\n${params.expires}`;
    const expected = createHmac('sha256', this.options.signingSecret).update(payload).digest();
    const given = Buffer.from(params.signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected) && Number(params.expires) >= nowEpochSeconds;
  }

  async deleteDocument(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}.meta.json`, { force: true });
  }

  private pathOf(key: string): string {
    if (!SAFE_KEY.test(key) || key.split('/').some((part) => part === '..' || part === '.') || key.endsWith('.meta.json')) {
      throw new ValidationError('Invalid document key', [{ path: 'key', message: 'letters, digits, dot, dash, underscore and / only' }], 'invalid-document-key');
    }
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new ValidationError('Invalid document key', [{ path: 'key', message: 'must stay inside the store' }], 'invalid-document-key');
    return path;
  }
}
