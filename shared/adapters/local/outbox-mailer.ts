/** Mail written as JSON files under `.data/outbox/` instead of being sent: the local stand-in for SESv2. */
import { mkdir, readdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ValidationError } from '../../domain/errors.ts';
import type { Clock, IdGenerator } from '../../ports/clock.ts';
import type { Mailer, OutgoingMail, Outbox, SentMail } from '../../ports/mailer.ts';
import { checkOutgoingMail } from '../mail-rules.ts';

export class OutboxMailer implements Mailer, Outbox {
  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async sendMail(mail: OutgoingMail): Promise<{ id: string }> {
    checkOutgoingMail(mail);
    await mkdir(this.dir, { recursive: true });
    const sentAt = this.clock.now().toISOString();
    const id = this.ids.newId();
    const record: SentMail = { id, from: this.from, sentAt, ...mail };
    const file = join(this.dir, `${sentAt.replace(/[:.]/g, '-')}_${id}.json`);
    await writeFile(`${file}.partial`, JSON.stringify(record, null, 2));
    await rename(`${file}.partial`, file);
    return { id };
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
