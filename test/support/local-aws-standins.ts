/**
 * Local stand-ins for the AWS services whose adapters are tested by contract: s3rver (S3), aws-ses-v2-local (SESv2),
 * and a queue that speaks SQS's JSON protocol for SendMessageBatch (no SQS emulator is on npm).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
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

/**
 * A queue answering SendMessageBatch as SQS does over its JSON protocol (AWS JSON 1.0: `X-Amz-Target:
 * AmazonSQS.SendMessageBatch`), MD5 of each body included, so the real SDK client and its checks run against it. It
 * keeps the bodies it accepted, in order; `refuseNext(n)` makes it refuse the next n entries as a throttled SQS does
 * (`Failed`, not a sender's fault), `refuseAsSender` as a malformed entry. Other actions answer 400.
 */
export async function startLocalSqs(): Promise<{ client: SQSClient; queueUrl: string; messages: string[]; calls: number; refuseNext(n: number): void; refuseAsSender(on: boolean): void; close(): Promise<void> }> {
  const state = { messages: [] as string[], calls: 0, refuse: 0, sender: false };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(body));
      };
      if (req.headers['x-amz-target'] !== 'AmazonSQS.SendMessageBatch') return answer(400, { __type: 'com.amazonaws.sqs#InvalidAction', message: `not served: ${String(req.headers['x-amz-target'])}` });
      state.calls++;
      const { Entries } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries: { Id: string; MessageBody: string }[] };
      if (Entries.length === 0 || Entries.length > 10) return answer(400, { __type: 'com.amazonaws.sqs#TooManyEntriesInBatchRequest', message: `${Entries.length} entries` });
      const Successful: { Id: string; MessageId: string; MD5OfMessageBody: string }[] = [];
      const Failed: { Id: string; Code: string; SenderFault: boolean; Message: string }[] = [];
      for (const entry of Entries) {
        if (state.sender) Failed.push({ Id: entry.Id, Code: 'InvalidParameterValue', SenderFault: true, Message: 'refused as malformed' });
        else if (state.refuse > 0) {
          state.refuse--;
          Failed.push({ Id: entry.Id, Code: 'InternalError', SenderFault: false, Message: 'try again' });
        } else {
          state.messages.push(entry.MessageBody);
          Successful.push({ Id: entry.Id, MessageId: `m${state.messages.length}`, MD5OfMessageBody: createHash('md5').update(entry.MessageBody, 'utf8').digest('hex') });
        }
      }
      answer(200, { Successful, Failed });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  return {
    client,
    queueUrl: `${endpoint}/000000000000/sweep-batches`,
    get messages() {
      return state.messages;
    },
    get calls() {
      return state.calls;
    },
    refuseNext: (n) => {
      state.refuse = n;
    },
    refuseAsSender: (on) => {
      state.sender = on;
    },
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

