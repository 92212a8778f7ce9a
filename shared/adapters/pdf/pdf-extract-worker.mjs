// Worker thread for isolated-pdf-text-extractor.ts: one document per worker, answered once, then the worker ends.
import { parentPort, workerData } from 'node:worker_threads';
import { isPasswordError, readPdf } from './pdf-parse-core.mjs';

try {
  const result = await readPdf(workerData.bytes, { maxPages: workerData.maxPages });
  parentPort.postMessage({ result });
} catch (error) {
  parentPort.postMessage({ failure: { password: isPasswordError(error), message: error instanceof Error ? error.message : String(error) } });
}
