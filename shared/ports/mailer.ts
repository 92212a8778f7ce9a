/** Outgoing mail. SESv2 in AWS, a local outbox folder on a laptop. */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Why the mail was sent (invite, reminder, …): kept in the outbox and as an SES tag. */
  purpose: string;
}

export interface SentMail extends OutgoingMail {
  id: string;
  from: string;
  sentAt: string;
}

export interface Mailer {
  sendMail(mail: OutgoingMail): Promise<{ id: string }>;
}

/** Local mode only: what was "sent", newest first. */
export interface Outbox {
  listSentMail(limit: number): Promise<SentMail[]>;
}
