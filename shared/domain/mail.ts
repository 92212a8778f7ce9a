/** The content of a mail, before it is addressed. */
export interface OutgoingMailContent {
  subject: string;
  text: string;
  purpose: string;
}
