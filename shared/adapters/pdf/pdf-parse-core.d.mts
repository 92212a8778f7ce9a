import type { PageText } from '../../domain/soc2/types.ts';

export type ReadPdfResult =
  | { outcome: 'ok'; total: number; pages: PageText[] }
  | { outcome: 'empty'; total: 0 }
  | { outcome: 'too-large'; total: number }
  | { outcome: 'aborted'; total: number };

export function isPasswordError(error: unknown): boolean;
export function readPdf(bytes: Uint8Array, options?: { maxPages?: number; signal?: AbortSignal }): Promise<ReadPdfResult>;
