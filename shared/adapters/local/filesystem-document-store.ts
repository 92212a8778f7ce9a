/**
 * Documents as files under a folder (`.data/documents` for `npm start`): the local stand-in for S3. It also plays
 * S3's part for presigned posts and GETs (LocalObjectEndpoint): the local server hands the posted forms and the
 * download queries to it, and it checks them against the policy and signature it issued, as S3 does.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { attachmentDisposition } from '../../domain/evidence.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import { ObjectRequestRefusedError, type DocumentStore, type LocalObjectEndpoint, type StoredDocument, type StoredObjectFacts, type UploadForm } from '../../ports/document-store.ts';

async function* oneChunk(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}

const exists = (path: string) => stat(path).then(
  () => true,
  (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return false;
    throw error;
  },
);

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

/** The signed policy of a local upload form: S3's shape, reduced to the conditions trustgate uses. */
interface UploadPolicy {
  expiration: string;
  conditions: ({ key: string } | { 'Content-Type': string } | ['content-length-range', number, number])[];
}

export const LOCAL_SIGNATURE_FIELD = 'x-trustgate-signature';

export class FilesystemDocumentStore implements DocumentStore, LocalObjectEndpoint {
  private readonly root: string;
  private readonly now: () => Date;
  constructor(
    root: string,
    private readonly options: { uploadUrl: string; downloadUrl: string; signingSecret: string; now?: () => Date },
  ) {
    this.root = resolve(root);
    this.now = options.now ?? (() => new Date());
  }

  async putDocument(key: string, body: Uint8Array, contentType: string): Promise<StoredDocument> {
    return this.putDocumentStream(key, oneChunk(body), contentType);
  }

  async putDocumentStream(key: string, chunks: AsyncIterable<Uint8Array>, contentType: string): Promise<StoredDocument> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    if (await exists(path)) throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
    // Written under a temporary name and hard-linked in whole: the link fails if the key exists, and a crash or a
    // failed stream never leaves half a document under its key.
    const temp = `${path}.${process.pid}.${randomUUID()}.partial`;
    let size = 0;
    try {
      const file = await open(temp, 'wx');
      try {
        for await (const chunk of chunks) {
          await file.write(chunk);
          size += chunk.byteLength;
        }
      } finally {
        await file.close();
      }
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
      throw error;
    } finally {
      await rm(temp, { force: true });
    }
    await this.writeMeta(path, contentType, size);
    return { key, contentType, size };
  }

  async getDocument(key: string): Promise<{ body: Uint8Array; contentType: string } | null> {
    const path = this.pathOf(key);
    try {
      const body = await readFile(path);
      return { body: new Uint8Array(body), contentType: await this.contentTypeOf(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async describeDocument(key: string): Promise<StoredObjectFacts | null> {
    const path = this.pathOf(key);
    try {
      const { size } = await stat(path);
      return { size, contentType: await this.contentTypeOf(path), encryptedAsRequired: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async readDocumentStart(key: string, length: number): Promise<Uint8Array | null> {
    const path = this.pathOf(key);
    let file;
    try {
      file = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await file.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async createUploadUrl(key: string, contentType: string, options: { maxBytes: number; expiresInSeconds: number }): Promise<UploadForm> {
    this.pathOf(key);
    const policy: UploadPolicy = {
      expiration: new Date(this.now().getTime() + options.expiresInSeconds * 1000).toISOString(),
      conditions: [{ key }, { 'Content-Type': contentType }, ['content-length-range', 1, options.maxBytes]],
    };
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64');
    return { url: this.options.uploadUrl, method: 'POST', fields: { key, 'Content-Type': contentType, Policy: encoded, [LOCAL_SIGNATURE_FIELD]: this.sign(encoded) } };
  }

  async createDownloadUrl(key: string, options: { fileName: string; expiresInSeconds: number }): Promise<string> {
    this.pathOf(key);
    const expires = String(Math.floor(this.now().getTime() / 1000) + options.expiresInSeconds);
    const query = new URLSearchParams({ key, name: options.fileName, expires, signature: this.sign(`${key}\n${options.fileName}\n${expires}`) });
    return `${this.options.downloadUrl}?${query.toString()}`;
  }

  async acceptUpload(fields: Record<string, string>, file: Uint8Array): Promise<void> {
    const encoded = fields.Policy ?? fields.policy;
    const signature = fields[LOCAL_SIGNATURE_FIELD];
    if (!encoded || !signature) throw new ObjectRequestRefusedError('InvalidArgument', 'The form must carry the Policy and its signature', 400);
    if (!this.signatureMatches(encoded, signature)) throw new ObjectRequestRefusedError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided', 403);
    let policy: UploadPolicy;
    try {
      policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as UploadPolicy;
    } catch {
      throw new ObjectRequestRefusedError('InvalidPolicyDocument', 'Invalid Policy: not JSON', 400);
    }
    if (!(Date.parse(policy.expiration) > this.now().getTime())) throw new ObjectRequestRefusedError('AccessDenied', 'Invalid according to Policy: Policy expired.', 403);
    for (const condition of policy.conditions) {
      if (Array.isArray(condition)) {
        const [, min, max] = condition;
        if (file.byteLength > max) throw new ObjectRequestRefusedError('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size (${max} bytes)`, 400);
        if (file.byteLength < min) throw new ObjectRequestRefusedError('EntityTooSmall', `Your proposed upload is smaller than the minimum allowed size (${min} bytes)`, 400);
        continue;
      }
      const [[name, value]] = Object.entries(condition) as [[string, string]];
      if (fields[name] !== value) throw new ObjectRequestRefusedError('AccessDenied', `Invalid according to Policy: Policy Condition failed: ["eq", "$${name}", "${value}"]`, 403);
    }
    const key = fields.key!;
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // As on S3 a post to the same key again replaces the object; the rename makes it whole or absent, never half.
    const temp = `${path}.${process.pid}.${randomUUID()}.partial`;
    await writeFile(temp, file);
    await this.writeMeta(path, fields['Content-Type']!, file.byteLength);
    await rename(temp, path);
  }

  async openDownload(query: Record<string, string>): Promise<{ body: Uint8Array; contentType: string; contentDisposition: string }> {
    const { key, name, expires, signature } = query;
    if (!key || !name || !expires || !signature || !this.signatureMatches(`${key}\n${name}\n${expires}`, signature)) {
      throw new ObjectRequestRefusedError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided', 403);
    }
    if (Number(expires) * 1000 < this.now().getTime()) throw new ObjectRequestRefusedError('AccessDenied', 'Request has expired', 403);
    const stored = await this.getDocument(key);
    if (!stored) throw new ObjectRequestRefusedError('NoSuchKey', 'The specified key does not exist.', 404);
    return { body: stored.body, contentType: stored.contentType, contentDisposition: attachmentDisposition(name) };
  }

  async deleteDocument(key: string): Promise<void> {
    const path = this.pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}.meta.json`, { force: true });
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.options.signingSecret).update(payload).digest('base64url');
  }

  private signatureMatches(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload), 'base64url');
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private async writeMeta(path: string, contentType: string, size: number): Promise<void> {
    const temp = `${path}.${process.pid}.${randomUUID()}.meta`;
    await writeFile(temp, JSON.stringify({ contentType, size }));
    await rename(temp, `${path}.meta.json`);
  }

  private async contentTypeOf(path: string): Promise<string> {
    const meta = await readFile(`${path}.meta.json`, 'utf8').catch(() => '{"contentType":"application/octet-stream"}');
    return (JSON.parse(meta) as { contentType: string }).contentType;
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
