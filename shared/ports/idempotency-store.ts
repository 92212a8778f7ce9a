/** Remembers the answer to a request sent with an Idempotency-Key, so that a retry gets the same answer. */
export interface StoredResponse {
  status: number;
  body: string;
  contentType: string;
}

export type IdempotencyStart = { kind: 'started' } | { kind: 'replay'; response: StoredResponse } | { kind: 'in-progress' } | { kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this request, or says what happened to an earlier request with the same key. */
  begin(scope: string, key: string, requestHash: string, now: Date): Promise<IdempotencyStart>;
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Frees the key after a failure, so the request can be retried. */
  abandon(scope: string, key: string): Promise<void>;
}
