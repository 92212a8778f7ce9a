/**
 * The retry budget for appending to an audit chain. Every change to a target appends to the target's one chain, so
 * unrelated concurrent changes (30 uploads to one assessment) collide on its head; such a collision changes nothing
 * of the data, so the repository re-reads the head and tries again, spread out by jittered exponential backoff.
 */
export const AUDIT_APPEND_ATTEMPTS = 25;

/** Full jitter: a random wait up to 5 ms × 2^attempt, at most 250 ms. */
export function auditAppendBackoff(attempt: number): Promise<void> {
  const ceilingMs = Math.min(250, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
}
