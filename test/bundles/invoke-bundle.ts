/**
 * Runs a built Lambda bundle the way Lambda does: a fresh Node process that imports `index.mjs` (no tsx, no
 * vitest transform) and calls one export. Only the environment given is passed on.
 */
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const RESULT_MARKER = '__BUNDLE_RESULT__';

// Runs in the child: import the bundle, call the export with the JSON argument, print the outcome on one marked line.
const RUNNER = `
const [file, exportName, argJson] = process.argv.slice(1);
const context = { functionName: 'trustgate-bundle-test', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:trustgate-bundle-test', memoryLimitInMB: '512', awsRequestId: 'bundle-test-request', getRemainingTimeInMillis: () => 30000 };
let outcome;
try {
  const mod = await import(file);
  const arg = JSON.parse(argJson);
  const value = exportName === 'textExtractor'
    ? await mod.textExtractor.extractPages(new Uint8Array(Buffer.from(arg, 'base64')))
    : await mod[exportName](arg, context);
  outcome = { ok: true, value };
} catch (error) {
  outcome = { ok: false, name: error?.name, code: error?.code, message: error?.message };
}
process.stdout.write('\\n${RESULT_MARKER}' + JSON.stringify(outcome) + '\\n');
`;

export type BundleOutcome = { ok: true; value: unknown } | { ok: false; name?: string; code?: string; message?: string };

export interface BundleRun {
  outcome: BundleOutcome;
  /** Everything else the process printed (Powertools logs and EMF metrics go to stdout). */
  stdout: string;
  stderr: string;
}

/** Imports the bundle in a new process and calls `exportName(arg, context)` (or the exported text extractor on base64 bytes). */
export function invokeBundle(handlerFile: string, exportName: 'handler' | 'textExtractor', arg: unknown, env: Record<string, string>): Promise<BundleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', RUNNER, pathToFileURL(handlerFile).href, exportName, JSON.stringify(arg)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (!line) return reject(new Error(`The bundle printed no result.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      resolve({ outcome: JSON.parse(line.slice(RESULT_MARKER.length)) as BundleOutcome, stdout: stdout.replace(line, ''), stderr });
    });
  });
}

/** An API Gateway HTTP API (payload 2.0) event, as the `$default` stage sends it to the Lambda integration. */
export function httpApiEvent(method: string, path: string, headers: Record<string, string> = {}): Record<string, unknown> {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: `ANY ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.eu-west-1.amazonaws.com', 'user-agent': 'bundle-test', 'x-forwarded-proto': 'https', ...headers },
    requestContext: {
      accountId: '000000000000',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: 'bundle-test' },
      requestId: 'bundle-test-request',
      routeKey: `ANY ${path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
}
