/** Stored evidence files (SOC 2 reports, letters, certificates). S3 in AWS, the filesystem locally. */
export interface StoredDocument {
  key: string;
  contentType: string;
  size: number;
}

export interface DocumentStore {
  /** Stores bytes under a key; refuses to overwrite an existing key (`ConflictError`). */
  putDocument(key: string, body: Uint8Array, contentType: string): Promise<StoredDocument>;
  /** The bytes, or null when there is no such key. */
  getDocument(key: string): Promise<{ body: Uint8Array; contentType: string } | null>;
  /** A URL the browser can PUT the file to directly, valid for `expiresInSeconds`, capped at `maxBytes`. */
  createUploadUrl(key: string, contentType: string, options: { maxBytes: number; expiresInSeconds: number }): Promise<{ url: string; method: 'PUT' | 'POST'; fields?: Record<string, string> }>;
  deleteDocument(key: string): Promise<void>;
}
