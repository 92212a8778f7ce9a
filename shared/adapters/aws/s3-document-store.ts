/** Documents in S3, encrypted at rest with the bucket's KMS key; uploads go straight to S3 by presigned POST. */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { attachmentDisposition } from '../../domain/evidence.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import type { DocumentStore, StoredDocument, StoredObjectFacts, UploadForm } from '../../ports/document-store.ts';

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyId?: string,
  ) {}

  async putDocument(key: string, body: Uint8Array, contentType: string): Promise<StoredDocument> {
    checkKey(key);
    // IfNoneMatch makes the refusal atomic on S3; the HEAD first gives the same answer on stand-ins
    // (s3rver) that predate conditional writes.
    if (await this.exists(key)) throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: '*',
          ...(this.kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: this.kmsKeyId } : {}),
        }),
      );
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (error as { name?: string }).name === 'PreconditionFailed') throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
      throw error;
    }
    return { key, contentType, size: body.byteLength };
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async getDocument(key: string): Promise<{ body: Uint8Array; contentType: string } | null> {
    checkKey(key);
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = await out.Body!.transformToByteArray();
      return { body, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async describeDocument(key: string): Promise<StoredObjectFacts | null> {
    checkKey(key);
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      // The bucket's key is the only one we accept: an object that names another (or none) was not posted with our policy.
      const encryptedAsRequired = !this.kmsKeyId || (head.ServerSideEncryption === 'aws:kms' && sameKmsKey(head.SSEKMSKeyId, this.kmsKeyId));
      return { size: head.ContentLength ?? 0, contentType: head.ContentType ?? 'application/octet-stream', encryptedAsRequired };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async readDocumentStart(key: string, length: number): Promise<Uint8Array | null> {
    checkKey(key);
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${Math.max(0, length - 1)}` }));
      return (await out.Body!.transformToByteArray()).subarray(0, length);
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async createDownloadUrl(key: string, options: { fileName: string; expiresInSeconds: number }): Promise<string> {
    checkKey(key);
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: attachmentDisposition(options.fileName), ResponseContentType: 'application/pdf' }), { expiresIn: options.expiresInSeconds });
  }

  async createUploadUrl(key: string, contentType: string, options: { maxBytes: number; expiresInSeconds: number }): Promise<UploadForm> {
    checkKey(key);
    const post = await createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Conditions: [['content-length-range', 1, options.maxBytes], ['eq', '$Content-Type', contentType]],
      Fields: { 'Content-Type': contentType, ...(this.kmsKeyId ? { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': this.kmsKeyId } : {}) },
      Expires: options.expiresInSeconds,
    });
    return { url: post.url, method: 'POST' as const, fields: post.fields };
  }

  async deleteDocument(key: string): Promise<void> {
    checkKey(key);
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

function isNotFound(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
}

/** HeadObject answers the key's ARN; the configuration may name it by id, ARN or alias ARN. */
function sameKmsKey(reported: string | undefined, configured: string): boolean {
  if (!reported) return false;
  return reported === configured || reported.endsWith(`/${configured}`) || reported.endsWith(`:key/${configured.split('/').pop()}`);
}

function checkKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split('/').some((p) => p === '..' || p === '.')) {
    throw new ValidationError('Invalid document key', [{ path: 'key', message: 'letters, digits, dot, dash, underscore and / only' }], 'invalid-document-key');
  }
}
