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
      // Parts of 64 KiB (S3 itself needs 5 MiB): the streamed uploads below take several parts.
      return { store: new S3DocumentStore(s3.client, 'trustgate-docs', undefined, 64 * 1024), close: () => s3.close() };
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

  it('describes a stored object: size and content type, or null when there is none', async () => {
    await store.putDocument('assessments/a4/described.pdf', pdf, 'application/pdf');
    expect(await store.describeDocument('assessments/a4/described.pdf')).toEqual({ size: pdf.byteLength, contentType: 'application/pdf', encryptedAsRequired: true });
    expect(await store.describeDocument('assessments/a4/missing.pdf')).toBeNull();
  });

  it('reads the start of an object without the rest', async () => {
    await store.putDocument('assessments/a5/start.pdf', pdf, 'application/pdf');
    expect(new TextDecoder().decode((await store.readDocumentStart('assessments/a5/start.pdf', 5))!)).toBe('%PDF-');
    expect((await store.readDocumentStart('assessments/a5/start.pdf', 1024))!.byteLength).toBe(pdf.byteLength);
    expect(await store.readDocumentStart('assessments/a5/missing.pdf', 5)).toBeNull();
  });

  it('signs an upload form for exactly the key and content type', async () => {
    const upload = await store.createUploadUrl('assessments/a6/upload.pdf', 'application/pdf', { maxBytes: 1024, expiresInSeconds: 300 });
    expect(upload.method).toBe('POST');
    expect(upload.fields).toMatchObject({ key: 'assessments/a6/upload.pdf', 'Content-Type': 'application/pdf' });
    const policy = JSON.parse(Buffer.from(upload.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toEqual(expect.arrayContaining([['content-length-range', 1, 1024]]));
    expect(Date.parse(policy.expiration)).toBeGreaterThan(Date.now());
  });

  it('signs a download URL for the key', async () => {
    await store.putDocument('assessments/a7/download.pdf', pdf, 'application/pdf');
    const url = await store.createDownloadUrl('assessments/a7/download.pdf', { fileName: 'Report 2026.pdf', expiresInSeconds: 60 });
    expect(url).toContain('download.pdf');
  });

  async function* chunksOf(count: number, size: number, failAfter?: number): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < count; i++) {
      if (failAfter !== undefined && i === failAfter) throw new Error('the source failed');
      yield new Uint8Array(size).fill(65 + (i % 26));
    }
  }

  it('stores a stream of chunks whole, across several parts, with its content type', async () => {
    const stored = await store.putDocumentStream('exports/e1/register.csv', chunksOf(10, 30_000), 'text/csv; charset=utf-8');
    expect(stored).toEqual({ key: 'exports/e1/register.csv', contentType: 'text/csv; charset=utf-8', size: 300_000 });
    const read = await store.getDocument('exports/e1/register.csv');
    expect(read!.body.byteLength).toBe(300_000);
    expect(read!.body[0]).toBe(65);
    expect(read!.body[299_999]).toBe(65 + 9);
    expect(read!.contentType).toContain('text/csv');
  });

  it('stores a short stream (one part) and an empty one', async () => {
    expect((await store.putDocumentStream('exports/e2/short.csv', chunksOf(2, 10), 'text/csv')).size).toBe(20);
    expect((await store.getDocument('exports/e2/short.csv'))!.body.byteLength).toBe(20);
    expect((await store.putDocumentStream('exports/e2/empty.csv', chunksOf(0, 10), 'text/csv')).size).toBe(0);
  });

  it('leaves nothing under the key when the stream fails, before or after its first part', async () => {
    await expect(store.putDocumentStream('exports/e3/early.csv', chunksOf(10, 30_000, 1), 'text/csv')).rejects.toThrow('the source failed');
    await expect(store.putDocumentStream('exports/e3/late.csv', chunksOf(10, 30_000, 7), 'text/csv')).rejects.toThrow('the source failed');
    expect(await store.describeDocument('exports/e3/early.csv')).toBeNull();
    expect(await store.describeDocument('exports/e3/late.csv')).toBeNull();
  });

  it('refuses to stream over an existing key with ConflictError document-exists', async () => {
    await store.putDocumentStream('exports/e4/once.csv', chunksOf(1, 10), 'text/csv');
    await expect(store.putDocumentStream('exports/e4/once.csv', chunksOf(10, 30_000), 'text/csv')).rejects.toMatchObject({ code: 'document-exists' });
    expect((await store.getDocument('exports/e4/once.csv'))!.body.byteLength).toBe(10);
  });
});
