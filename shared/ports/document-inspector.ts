/** Checks an upload before it is stored: opened the way the analyzer will open it. */
export interface InspectedDocument {
  /** Pages in the document; null where the upload could not be checked (see aws-deps.ts). */
  pageCount: number | null;
}

/** Opens the bytes as a PDF; rejects with a DocumentUnreadableError (encrypted, corrupt, empty, too-large, not-a-pdf, timeout). */
export interface DocumentInspector {
  inspect(bytes: Uint8Array): Promise<InspectedDocument>;
}
