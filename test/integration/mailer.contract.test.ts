/** One contract, two adapters: the local outbox and SESv2 (against aws-ses-v2-local). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../shared/adapters/aws/ses-mailer.ts';
import { OutboxMailer } from '../../shared/adapters/local/outbox-mailer.ts';
import type { Mailer } from '../../shared/ports/mailer.ts';
import { startLocalSes } from '../support/local-aws-standins.ts';

interface Delivered {
  to: string[];
  subject: string;
  text: string;
}

interface Subject {
  name: string;
  start(): Promise<{ mailer: Mailer; delivered: () => Promise<Delivered[]>; close: () => Promise<void> }>;
}

let counter = 0;
const subjects: Subject[] = [
  {
    name: 'OutboxMailer',
    start: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'trustgate-outbox-'));
      const outbox = new OutboxMailer(dir, 'trustgate@localhost', { now: () => new Date(Date.UTC(2026, 10, 23, 12, 0, counter++)) }, { newId: () => `mail-${counter}` });
      return { mailer: outbox, delivered: () => outbox.listSentMail(100), close: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'SesMailer (aws-ses-v2-local)',
    start: async () => {
      const ses = await startLocalSes();
      return {
        mailer: new SesMailer(ses.client, 'trustgate@example.com'),
        delivered: async () => {
          const store = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { destination: { to: string[] }; subject: string; body: { text?: string } }[] };
          return store.emails.map((e) => ({ to: e.destination.to, subject: e.subject, text: e.body.text ?? '' }));
        },
        close: () => ses.close(),
      };
    },
  },
];

describe.each(subjects)('Mailer contract: $name', (subject) => {
  let mailer: Mailer;
  let delivered: () => Promise<Delivered[]>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ mailer, delivered, close } = await subject.start());
  });
  afterAll(async () => close());

  it('delivers a mail with its recipients, subject and text', async () => {
    const { id } = await mailer.sendMail({ to: ['vendor@acme.example'], subject: 'Security assessment for Acme', text: 'Open https://trustgate.local/portal/abc', purpose: 'invite' });
    expect(id).not.toBe('');
    const mails = await delivered();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ['vendor@acme.example'], subject: 'Security assessment for Acme' });
    expect(mails[0]!.text).toContain('https://trustgate.local/portal/abc');
  });

  it('refuses a mail to a non-address, listing every problem, and sends nothing', async () => {
    const before = (await delivered()).length;
    await expect(mailer.sendMail({ to: ['not-an-address'], subject: 'two\nlines', text: ' ', purpose: 'invite' })).rejects.toMatchObject({
      code: 'invalid-mail',
      details: [
        { path: 'to[0]', message: 'not an email address' },
        { path: 'subject', message: 'one non-empty line' },
        { path: 'text', message: 'must not be empty' },
      ],
    });
    expect((await delivered()).length).toBe(before);
  });
});
