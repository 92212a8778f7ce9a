/**
 * Work on one key from this process runs one at a time, in arrival order. Read-merge-write use cases (draft saves)
 * and audit-chain appends (adapters/aws/dynamo-table.ts)
 * use it so that concurrent requests to one process never conflict with each other: their optimistic-concurrency
 * retries are left to absorb only other processes (other Lambda instances).
 */
const turns = new Map<string, Promise<unknown>>();

export async function takeTurns<T>(key: string, work: () => Promise<T>): Promise<T> {
  const previous = turns.get(key) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(work);
  turns.set(key, mine);
  try {
    return await mine;
  } finally {
    if (turns.get(key) === mine) turns.delete(key);
  }
}
