/**
 * The audit trail is hash-chained per target: each event carries its sequence number, the previous event's hash
 * and its own hash over both; a head item holds the last sequence and hash. Changing, deleting or reordering an
 * event, or dropping the newest ones, breaks the chain (see verifyChain).
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../domain/audit.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedAuditEvent extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with keys sorted at every level, so the hash does not depend on property order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export function hashEvent(event: Omit<ChainedAuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

export function chain(event: AuditEvent, previous: { seq: number; hash: string } | null): ChainedAuditEvent {
  const linked = { ...event, seq: (previous?.seq ?? 0) + 1, prevHash: previous?.hash ?? GENESIS_HASH };
  return { ...linked, hash: hashEvent(linked) };
}

export interface ChainProblem {
  seq: number | null;
  eventId: string | null;
  problem: 'modified' | 'broken-link' | 'missing' | 'head-mismatch' | 'checkpoint-mismatch' | 'truncated';
  detail: string;
}

/**
 * Checks one target's events (in stored order) against each other and against the head. `from` is where they start:
 * the genesis, or a checkpoint (the last event verified before, whose hash the first event must link to).
 */
export function verifyChain(events: ChainedAuditEvent[], head: { seq: number; hash: string } | null, from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainProblem[] {
  const problems: ChainProblem[] = [];
  let expectedSeq = from.seq + 1;
  let prevHash = from.hash;
  for (const event of events) {
    const { hash, ...rest } = event;
    if (event.seq !== expectedSeq) {
      problems.push({ seq: expectedSeq, eventId: null, problem: 'missing', detail: `events ${expectedSeq}…${event.seq - 1} are missing` });
    }
    if (hashEvent(rest) !== hash) problems.push({ seq: event.seq, eventId: event.id, problem: 'modified', detail: 'the event does not match its hash' });
    if (event.prevHash !== prevHash) problems.push({ seq: event.seq, eventId: event.id, problem: 'broken-link', detail: 'the previous-hash link does not match the event before it' });
    expectedSeq = event.seq + 1;
    prevHash = hash;
  }
  const last = events.at(-1) ?? (from.seq > 0 ? from : undefined);
  if (head && (!last || last.seq !== head.seq || last.hash !== head.hash)) {
    problems.push({ seq: head.seq, eventId: null, problem: 'head-mismatch', detail: `the chain should end at event ${head.seq}, but ends at ${last?.seq ?? 0}: newest events were removed or changed` });
  }
  return problems;
}

/**
 * Checks that a checkpoint still holds: the event it names is there, unchanged, and is the one whose hash it stored.
 * A checkpoint edited to skip events, or events rewritten under it, fails here.
 */
export function verifyCheckpoint(checkpoint: { seq: number; hash: string }, event: ChainedAuditEvent | null, head: { seq: number } | null): ChainProblem[] {
  if (head && head.seq < checkpoint.seq) {
    return [{ seq: checkpoint.seq, eventId: null, problem: 'truncated', detail: `the chain ends at event ${head.seq}, before event ${checkpoint.seq} verified earlier: events were removed` }];
  }
  if (!event) return [{ seq: checkpoint.seq, eventId: null, problem: 'checkpoint-mismatch', detail: `event ${checkpoint.seq}, verified earlier, is gone` }];
  const { hash, ...rest } = event;
  if (event.seq !== checkpoint.seq || hash !== checkpoint.hash || hashEvent(rest) !== hash) {
    return [{ seq: checkpoint.seq, eventId: event.id, problem: 'checkpoint-mismatch', detail: `event ${checkpoint.seq} no longer reproduces the hash verified earlier: the event or the checkpoint was changed` }];
  }
  return [];
}
