/** Documents in S3, encrypted at rest with the bucket's KMS key; uploads go straight to S3 by presigned POST. */
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { attachmentDisposition } from '../../domain/evidence.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import type { DocumentStore, StoredDocument, StoredObjectFacts, UploadForm } from '../../ports/document-store.ts';

/** The size of a multipart upload's parts (S3's minimum for all but the last is 5 MiB). */
export const PART_BYTES = 8 * 1024 * 1024;

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export class S3DocumentStore implements DocumentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly kmsKeyId?: string,
    /** Multipart part size: S3 refuses parts under 5 MiB but the last (smaller only against a stand-in, in tests). */
    private readonly partBytes = PART_BYTES,
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

  /**
   * A multipart upload of parts of at least `partBytes` (8 MiB) (S3's minimum is 5 MiB but for the last): one part in memory
   * at a time. A stream that fits one part is a single PutObject. On failure the upload is aborted, so S3 keeps no
   * parts and nothing appears under the key; completing with If-None-Match refuses an existing key atomically.
   */
  async putDocumentStream(key: string, chunks: AsyncIterable<Uint8Array>, contentType: string): Promise<StoredDocument> {
    checkKey(key);
    if (await this.exists(key)) throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
    const encryption = this.kmsKeyId ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.kmsKeyId } : {};
    let buffered: Uint8Array[] = [];
    let bufferedBytes = 0;
    let size = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const take = () => {
      const body = Buffer.concat(buffered, bufferedBytes);
      buffered = [];
      bufferedBytes = 0;
      return body;
    };
    const uploadPart = async (body: Uint8Array) => {
      uploadId ??= (await this.s3.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ...encryption }))).UploadId!;
      const PartNumber = parts.length + 1;
      const out = await this.s3.send(new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber, Body: body }));
      parts.push({ ETag: out.ETag!, PartNumber });
    };
    try {
      for await (const chunk of chunks) {
        buffered.push(chunk);
        bufferedBytes += chunk.byteLength;
        size += chunk.byteLength;
        if (bufferedBytes >= this.partBytes) await uploadPart(take());
      }
      if (!uploadId) return await this.putDocument(key, take(), contentType);
      if (bufferedBytes > 0) await uploadPart(take());
      await this.s3.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: '*' }));
      return { key, contentType, size };
    } catch (error) {
      if (uploadId) await this.s3.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (error as { name?: string }).name === 'PreconditionFailed') throw new ConflictError(`A document already exists at ${key}`, 'document-exists');
      throw error;
    }
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
