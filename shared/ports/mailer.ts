/** Outgoing mail. SESv2 in AWS, a local outbox folder on a laptop. */
export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Why the mail was sent (invite, reminder, …): kept in the outbox and as an SES tag. */
  purpose: string;
  /**
   * Names this mail for a workflow step that may run again after a crash or a retry: a mail whose key was sent
   * already is not sent again (see `Mailer.wasSent`).
   */
  idempotencyKey?: string;
}

export interface SentMail extends OutgoingMail {
  id: string;
  from: string;
  sentAt: string;
}

export interface Mailer {
  /** Sends the mail; with an `idempotencyKey` already sent, sends nothing and answers the first mail's id. */
  sendMail(mail: OutgoingMail): Promise<{ id: string }>;
  /**
   * Whether a mail with this key went out. The outbox knows for certain (the mail file is the record); SES keeps no
   * such record, so in AWS this answers false and a step that runs twice may mail twice (at least once).
   */
  wasSent(idempotencyKey: string): Promise<boolean>;
}

/** Local mode only: what was "sent", newest first. */
export interface Outbox {
  listSentMail(limit: number): Promise<SentMail[]>;
}
