/** Local stand-ins for the AWS services whose adapters are tested by contract: s3rver (S3) and aws-ses-v2-local (SESv2). */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import S3rver from 's3rver';
import * as sesModule from 'aws-ses-v2-local';

// A CommonJS module: its server function is `default` under Node's ESM loader and the module itself under some bundlers.
const sesServer = ((sesModule as unknown as { default: { default?: unknown } }).default.default ?? (sesModule as unknown as { default: unknown }).default) as (config: { port: number; host: string }) => Promise<Server>;

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export async function startLocalS3(bucket: string): Promise<{ client: S3Client; endpoint: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'trustgate-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', directory: dir, silent: true });
  const { port } = await server.run();
  const client = new S3Client({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    client,
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      client.destroy();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function startLocalSes(): Promise<{ client: SESv2Client; endpoint: string; close(): Promise<void> }> {
  const server: Server = await sesServer({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SESv2Client({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    client,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
