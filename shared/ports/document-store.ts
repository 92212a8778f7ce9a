/** Stored evidence files (SOC 2 reports, letters, certificates). S3 in AWS, the filesystem locally. */
export interface StoredDocument {
  key: string;
  contentType: string;
  size: number;
}

/** What the store knows of an object without reading it (S3: HeadObject). */
export interface StoredObjectFacts {
  size: number;
  contentType: string;
  /** False when the store requires its encryption key and the object is not encrypted with it. */
  encryptedAsRequired: boolean;
}

/**
 * A browser upload straight to the store: a form POST of `fields` plus the file (last, as `file`) to `url`. The
 * store itself refuses a post whose key, size, content type or expiry break the signed policy.
 */
export interface UploadForm {
  url: string;
  method: 'POST';
  fields: Record<string, string>;
}

export interface DocumentStore {
  /** Stores bytes under a key; refuses to overwrite an existing key (`ConflictError`). */
  putDocument(key: string, body: Uint8Array, contentType: string): Promise<StoredDocument>;
  /**
   * Stores what `chunks` yield under a key without holding it all in memory (S3: a multipart upload); refuses to
   * overwrite an existing key (`ConflictError`). Nothing is left under the key when `chunks` throws.
   */
  putDocumentStream(key: string, chunks: AsyncIterable<Uint8Array>, contentType: string): Promise<StoredDocument>;
  /** The bytes, or null when there is no such key. */
  getDocument(key: string): Promise<{ body: Uint8Array; contentType: string } | null>;
  /** Size, content type and encryption of an object, or null when there is no such key. */
  describeDocument(key: string): Promise<StoredObjectFacts | null>;
  /** The first `length` bytes of an object (a ranged read), or null when there is no such key. */
  readDocumentStart(key: string, length: number): Promise<Uint8Array | null>;
  /** A signed form the browser posts the file with, to exactly `key`, 1..`maxBytes` bytes of `contentType`, for `expiresInSeconds`. */
  createUploadUrl(key: string, contentType: string, options: { maxBytes: number; expiresInSeconds: number }): Promise<UploadForm>;
  /** A signed GET URL, valid for `expiresInSeconds`, whose answer is an attachment named `fileName`. */
  createDownloadUrl(key: string, options: { fileName: string; expiresInSeconds: number }): Promise<string>;
  deleteDocument(key: string): Promise<void>;
}

/** Why the local object endpoint refused a request, in the S3 error vocabulary (`EntityTooLarge`, `AccessDenied`, ...). */
export class ObjectRequestRefusedError extends Error {
  constructor(
    readonly s3Code: 'AccessDenied' | 'EntityTooLarge' | 'EntityTooSmall' | 'InvalidArgument' | 'InvalidPolicyDocument' | 'SignatureDoesNotMatch' | 'NoSuchKey',
    message: string,
    readonly status: 400 | 403 | 404,
  ) {
    super(message);
    this.name = 'ObjectRequestRefusedError';
  }
}

/**
 * Local mode only: what S3 does itself for presigned posts and GETs, done by the local server at the URLs the
 * filesystem store signs, so that the browser and the tests take the same path in both modes.
 */
export interface LocalObjectEndpoint {
  /** Checks a posted form against its signed policy and stores the file; throws ObjectRequestRefusedError. */
  acceptUpload(fields: Record<string, string>, file: Uint8Array): Promise<void>;
  /** Checks a signed download URL's query and opens the file; throws ObjectRequestRefusedError. */
  openDownload(query: Record<string, string>): Promise<{ body: Uint8Array; contentType: string; contentDisposition: string }>;
}

