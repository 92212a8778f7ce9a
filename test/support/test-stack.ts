/** A local stack for tests: in-memory dynalite, a temporary data folder, the real Hono app. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../shared/domain/roles.ts';
import type { SentMail } from '../../shared/ports/mailer.ts';
import type { DocumentTextExtractor } from '../../shared/ports/document-text-extractor.ts';
import type { DocumentStore } from '../../shared/ports/document-store.ts';
import { loadConfig, type LocalConfig } from '../../shared/composition/config.ts';
import { startLocalStack, type LocalStack } from '../../shared/composition/local-deps.ts';
import { createApp, type TrustgateApp } from '../../shared/http/app.ts';

export interface TestStack extends LocalStack {
  http: TrustgateApp;
  config: LocalConfig;
  tokenFor(role: Role, email?: string): Promise<string>;
  /** app.request with JSON body and bearer token conveniences. */
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<Response>;
  dispose(): Promise<void>;
  /** Waits until every workflow execution waits on a callback or has ended. */
  settle(): Promise<void>;
  outbox(): Promise<SentMail[]>;
}

/** A clock tests can move forward. */
export class TestClock {
  private offsetMs = 0;
  now = () => new Date(Date.now() + this.offsetMs);
  advanceDays(days: number): void {
    this.offsetMs += days * 86_400_000;
  }
}

export async function startTestStack(
  options: { persist?: boolean; dataDir?: string; env?: Record<string, string>; clock?: TestClock; textExtractor?: DocumentTextExtractor; documents?: DocumentStore } = {},
): Promise<TestStack> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'trustgate-test-')));
  const config = loadConfig({ TRUSTGATE_DATA_DIR: dataDir, ...(options.env ?? {}) }) as LocalConfig;
  const stack = await startLocalStack(config, { persist: options.persist ?? false, ...(options.clock ? { clock: options.clock } : {}), ...(options.textExtractor ? { textExtractor: options.textExtractor } : {}), ...(options.documents ? { documents: options.documents } : {}) });
  const http = createApp(stack.deps, { error: (m, e) => { if (process.env.TRUSTGATE_TEST_LOG) console.error(m, e); } });
  return {
    ...stack,
    http,
    config,
    tokenFor: (role, email) => stack.tokens.issueToken({ role, email: email ?? `${role}@example.com` }),
    call: (method, path, o = {}) => {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.rawBody !== undefined) body = o.rawBody;
      else if (o.body instanceof FormData) {
        return Promise.resolve(http.app.request(path, { method, headers, body: o.body }));
      } else if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      return Promise.resolve(http.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) }));
    },
    // Long enough for an analysis on a loaded machine: a settle that gives up early fails later assertions obscurely.
    settle: () => stack.workflow.idle(60_000),
    outbox: () => stack.deps.outbox!.listSentMail(200),
    dispose: async () => {
      await stack.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const sampleIntake = (overrides: Record<string, unknown> = {}) => ({
  name: 'Acme Cloud',
  website: 'https://acme.example',
  contactEmail: 'security@acme.example',
  criticality: 'high',
  dataClassification: 'confidential',
  ...overrides,
});
