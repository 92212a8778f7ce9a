/** Mail written as JSON files under `.data/outbox/` instead of being sent: the local stand-in for SESv2. */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../domain/errors.ts';
import type { Clock, IdGenerator } from '../../ports/clock.ts';
import type { Mailer, OutgoingMail, Outbox, SentMail } from '../../ports/mailer.ts';
import { checkOutgoingMail } from '../mail-rules.ts';

const keyedId = (key: string) => `k-${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

export class OutboxMailer implements Mailer, Outbox {
  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Writes the mail to a temporary file and renames it into place: the mail is in the outbox entirely or not at all.
   * A keyed mail's id is derived from its key, so the file itself records that the key was sent.
   */
  async sendMail(mail: OutgoingMail): Promise<{ id: string }> {
    checkOutgoingMail(mail);
    await mkdir(this.dir, { recursive: true });
    const keyed = mail.idempotencyKey === undefined ? null : keyedId(mail.idempotencyKey);
    if (keyed && (await this.fileOf(keyed))) return { id: keyed };
    const sentAt = this.clock.now().toISOString();
    const id = keyed ?? this.ids.newId();
    const record: SentMail = { id, from: this.from, sentAt, ...mail };
    const file = join(this.dir, `${sentAt.replace(/[:.]/g, '-')}_${id}.json`);
    await writeFile(`${file}.partial`, JSON.stringify(record, null, 2));
    await rename(`${file}.partial`, file);
    return { id };
  }

  async wasSent(idempotencyKey: string): Promise<boolean> {
    return (await this.fileOf(keyedId(idempotencyKey))) !== null;
  }

  private async fileOf(id: string): Promise<string | null> {
    try {
      return (await readdir(this.dir)).find((n) => n.endsWith(`_${id}.json`)) ?? null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async listSentMail(limit: number): Promise<SentMail[]> {
    if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('limit must be a positive whole number', [{ path: 'limit', message: 'positive integer' }]);
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith('.json'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    names.sort().reverse();
    return Promise.all(names.slice(0, limit).map(async (n) => JSON.parse(await readFile(join(this.dir, n), 'utf8')) as SentMail));
  }
}
