/** One contract, two adapters: the filesystem store (local) and the S3 store (against s3rver). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3DocumentStore } from '../../shared/adapters/aws/s3-document-store.ts';
import { FilesystemDocumentStore } from '../../shared/adapters/local/filesystem-document-store.ts';
import type { DocumentStore } from '../../shared/ports/document-store.ts';
import { startLocalS3 } from '../support/local-aws-standins.ts';

interface Subject {
  name: string;
  start(): Promise<{ store: DocumentStore; close: () => Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: 'FilesystemDocumentStore',
    start: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trustgate-docs-'));
      return { store: new FilesystemDocumentStore(dir, { uploadUrl: '/api/local-uploads', downloadUrl: '/api/local-downloads', signingSecret: 'secret' }), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'S3DocumentStore (s3rver)',
    start: async () => {
      const s3 = await startLocalS3('trustgate-docs');
      return { store: new S3DocumentStore(s3.client, 'trustgate-docs'), close: () => s3.close() };
    },
  },
];

const pdf = new TextEncoder().encode('%PDF-1.7\nhello\n%%EOF\n');

describe.each(subjects)('DocumentStore contract: $name', (subject) => {
  let store: DocumentStore;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ store, close } = await subject.start());
  });
  afterAll(async () => close());

  it('returns the same bytes and content type it stored', async () => {
    const stored = await store.putDocument('assessments/a1/report.pdf', pdf, 'application/pdf');
    expect(stored).toEqual({ key: 'assessments/a1/report.pdf', contentType: 'application/pdf', size: pdf.byteLength });
    const read = await store.getDocument('assessments/a1/report.pdf');
    expect(read?.contentType).toBe('application/pdf');
    expect(Buffer.from(read!.body).equals(Buffer.from(pdf))).toBe(true);
  });

  it('answers null for a key that was never stored', async () => {
    expect(await store.getDocument('assessments/none/missing.pdf')).toBeNull();
  });

  it('refuses to overwrite an existing key with ConflictError document-exists', async () => {
    await store.putDocument('assessments/a2/once.pdf', pdf, 'application/pdf');
    await expect(store.putDocument('assessments/a2/once.pdf', new Uint8Array([1, 2, 3]), 'application/pdf')).rejects.toMatchObject({ code: 'document-exists' });
    const read = await store.getDocument('assessments/a2/once.pdf');
    expect(read!.body.byteLength).toBe(pdf.byteLength);
  });

  it('refuses keys with path traversal', async () => {
    await expect(store.putDocument('../escape.pdf', pdf, 'application/pdf')).rejects.toMatchObject({ code: 'invalid-document-key' });
    await expect(store.getDocument('a/../../b')).rejects.toMatchObject({ code: 'invalid-document-key' });
  });

  it('forgets a deleted document', async () => {
    await store.putDocument('assessments/a3/gone.pdf', pdf, 'application/pdf');
    await store.deleteDocument('assessments/a3/gone.pdf');
    expect(await store.getDocument('assessments/a3/gone.pdf')).toBeNull();
  });

  it('creates an upload URL for the key', async () => {
    const upload = await store.createUploadUrl('assessments/a4/upload.pdf', 'application/pdf', { maxBytes: 1024, expiresInSeconds: 300 });
    expect(upload.url).toMatch(/^http:\/\//);
    expect(['PUT', 'POST']).toContain(upload.method);
  });
});
