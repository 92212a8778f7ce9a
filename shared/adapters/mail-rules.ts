/** Rules every mailer enforces the same way, so the outbox and SES accept and refuse the same mail. */
import { ValidationError, type ProblemDetail } from '../domain/errors.ts';
import type { OutgoingMail } from '../ports/mailer.ts';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function checkOutgoingMail(mail: OutgoingMail): void {
  const problems: ProblemDetail[] = [];
  if (mail.to.length === 0) problems.push({ path: 'to', message: 'at least one recipient' });
  if (mail.to.length > 50) problems.push({ path: 'to', message: 'at most 50 recipients' });
  mail.to.forEach((to, i) => {
    if (!EMAIL.test(to)) problems.push({ path: `to[${i}]`, message: 'not an email address' });
  });
  if (!mail.subject.trim() || /[\r\n]/.test(mail.subject)) problems.push({ path: 'subject', message: 'one non-empty line' });
  if (!mail.text.trim()) problems.push({ path: 'text', message: 'must not be empty' });
  if (problems.length) throw new ValidationError('The mail cannot be sent', problems, 'invalid-mail');
}
