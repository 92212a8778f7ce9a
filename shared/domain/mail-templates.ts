/** The mails trustgate sends. Pure: links and dates are arguments. */
import type { OutgoingMailContent } from './mail.ts';

const sign = '\n\n— trustgate, on behalf of the security team';

export const mailTemplates = {
  invite: (a: { vendorName: string; dueDate: string; link: string; requestedBy: string }): OutgoingMailContent => ({
    purpose: 'invite',
    subject: `Security assessment for ${a.vendorName}: please respond by ${a.dueDate}`,
    text: `Hello,\n\nAs part of our vendor review we ask ${a.vendorName} to complete a short security assessment: a questionnaire and, where you have them, your SOC 2 report, bridge letter or ISO 27001 certificate.\n\nOpen the assessment (no account needed):\n${a.link}\n\nYou can save a draft and come back, or forward the link to a colleague. Please submit by ${a.dueDate}. Questions: ${a.requestedBy}.${sign}`,
  }),
  reminder: (a: { vendorName: string; dueDate: string; link: string; number: number }): OutgoingMailContent => ({
    purpose: 'reminder',
    subject: `Reminder ${a.number}: security assessment for ${a.vendorName} (due ${a.dueDate})`,
    text: `Hello,\n\nThe security assessment for ${a.vendorName} is still open. Your answers so far are saved.\n\nContinue here (this new link replaces earlier ones):\n${a.link}\n\nDue date: ${a.dueDate}.${sign}`,
  }),
  escalation: (a: { vendorName: string; dueDate: string; reminders: number; assessmentUrl: string }): OutgoingMailContent => ({
    purpose: 'escalation',
    subject: `No response from ${a.vendorName} to the security assessment`,
    text: `${a.vendorName} has not submitted the security assessment after ${a.reminders} reminder(s). It is due ${a.dueDate}.\n\nPlease contact the vendor directly. Assessment: ${a.assessmentUrl}${sign}`,
  }),
  overdue: (a: { vendorName: string; dueDate: string; assessmentUrl: string }): OutgoingMailContent => ({
    purpose: 'overdue',
    subject: `Security assessment for ${a.vendorName} is overdue`,
    text: `The security assessment for ${a.vendorName} is now marked overdue (due ${a.dueDate}). trustgate keeps waiting for the submission; you can resend the invitation or cancel the assessment.\n\nAssessment: ${a.assessmentUrl}${sign}`,
  }),
  changesRequested: (a: { vendorName: string; comment: string; link: string }): OutgoingMailContent => ({
    purpose: 'changes-requested',
    subject: `Changes requested: security assessment for ${a.vendorName}`,
    text: `Hello,\n\nThank you for your submission. Our security team asks for the following before it can decide:\n\n${a.comment}\n\n${a.link ? `Your answers and documents are open again at this new link (earlier links no longer work):\n${a.link}` : 'Your answers and documents are open again at the same link as before (from your invitation).'}${sign}`,
  }),
  bridgeLetter: (a: { vendorName: string; reason: string }): OutgoingMailContent => ({
    purpose: 'bridge-letter-request',
    subject: `Bridge letter requested for ${a.vendorName}`,
    text: `Hello,\n\nThe SOC 2 report you shared no longer covers the recent period: ${a.reason}. Please send a bridge (gap) letter covering the time since the report's period ended.${sign}`,
  }),
  needsAttention: (a: { vendorName: string; reason: string; assessmentUrl: string }): OutgoingMailContent => ({
    purpose: 'needs-attention',
    subject: `Assessment of ${a.vendorName} needs attention`,
    text: `The assessment of ${a.vendorName} stopped: ${a.reason}\n\nNothing was lost. Retry it or cancel it: ${a.assessmentUrl}${sign}`,
  }),
  decision: (a: { vendorName: string; decision: string; nextReviewDate: string | null; assessmentUrl: string }): OutgoingMailContent => ({
    purpose: 'decision',
    subject: `Assessment of ${a.vendorName}: ${a.decision}`,
    text: `The assessment of ${a.vendorName} is finished: ${a.decision}.${a.nextReviewDate ? ` Next review: ${a.nextReviewDate}.` : ''}\n\n${a.assessmentUrl}${sign}`,
  }),
};
