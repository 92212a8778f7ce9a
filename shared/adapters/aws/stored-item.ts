/**
 * Items read back from the table are checked against the schema of their entity and version, so that a renamed or
 * missing field fails loudly (`stored-item-invalid`) instead of reading `undefined`.
 */
import type { z } from 'zod';
import { TrustgateError } from '../../domain/errors.ts';

type Item = Record<string, unknown>;

/** An item read back from the table does not match its schema (a renamed field, an unknown version). */
export class StoredItemInvalidError extends TrustgateError {
  constructor(entity: string, key: string, problem: string) {
    super('stored-item-invalid', `Stored ${entity} ${key} does not match its schema: ${problem}`);
    this.name = 'StoredItemInvalidError';
  }
}

/**
 * The `data` of a stored item, checked against the schema of its entity and version. `unversionedAs`: the version of
 * items written before the entity stored one (absent: every item must carry its version).
 */
export function readStored<S extends z.ZodType>(item: Item, entity: string, schema: S, version: number, unversionedAs?: number): z.infer<S> {
  const key = `${String(item.pk)}/${String(item.sk)}`;
  if (item.entity !== entity) throw new StoredItemInvalidError(entity, key, `entity is ${String(item.entity)}`);
  const stored = item.schemaVersion ?? unversionedAs;
  if (stored !== version) throw new StoredItemInvalidError(entity, key, `schemaVersion ${String(item.schemaVersion)}, this code reads ${version}`);
  const parsed = schema.safeParse(item.data);
  if (!parsed.success) throw new StoredItemInvalidError(entity, key, parsed.error.issues.map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`).join('; '));
  return parsed.data;
}
