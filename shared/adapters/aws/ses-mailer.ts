/** Mail through Amazon SES v2. */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail } from '../../ports/mailer.ts';
import { checkOutgoingMail } from '../mail-rules.ts';

export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  async sendMail(mail: OutgoingMail): Promise<{ id: string }> {
    checkOutgoingMail(mail);
    const out = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: mail.to },
        Content: {
          Simple: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, ...(mail.html ? { Html: { Data: mail.html, Charset: 'UTF-8' } } : {}) },
          },
        },
        EmailTags: [{ Name: 'purpose', Value: mail.purpose.replace(/[^A-Za-z0-9_-]/g, '-') }],
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
      }),
    );
    return { id: out.MessageId ?? '' };
  }

  async wasSent(): Promise<boolean> {
    // SES has no lookup by key: in AWS a step's mail is sent at least once.
    return false;
  }
}
