import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import { DEFAULT_LANGUAGE, textIn, type Language } from '../common/bilingual';
import { languageOfCitizen } from '../common/citizen-language';
import { unitNamesIn, withUnitNames } from '../common/unit-names';
import type { PrismaClient } from '../prisma/client';
import { CitizenMail } from '../workflows/shared/types';
import { lookupContactEmail } from './population';

export interface NotificationDeps {
  prisma: PrismaClient;
  mailer: Transporter;
  /** RFC 5322 From header, e.g. `Dich vu cong <no-reply@example.org>`. */
  from: string;
}

export interface EmailRequest {
  /** Same key, same message: a retried activity finds the message already sent and stops there. */
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
}

export interface EmailReceipt {
  notificationId: string;
  messageId: string;
  /** False when the key had already been sent: the retry sent nothing. */
  sentNow: boolean;
}

/**
 * The language a citizen's mail goes out in when the run leaves it to the recipient (it does not know
 * the applicant's, or the citizen never filed: a vehicle's owner): every such mail picks here. The
 * citizen's stored preference (the portal's switch, `PUT /api/v1/me/language`) when there is one,
 * Vietnamese otherwise.
 */
export function recipientLanguage(prisma: PrismaClient, pin: string): Promise<Language> {
  return languageOfCitizen(prisma, pin);
}

/** A citizen's mail as it goes out: the subject and text in the recipient's language (strings as they are). */
export async function mailFor(prisma: PrismaClient, pin: string, mail: CitizenMail): Promise<{ subject: string; text: string }> {
  const bilingual = typeof mail.subject !== 'string' || typeof mail.text !== 'string';
  const language = bilingual ? await recipientLanguage(prisma, pin) : DEFAULT_LANGUAGE;
  return { subject: textIn(mail.subject, language), text: textIn(mail.text, language) };
}

const SIMPLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** 1 + 2 + 4 + 8 + 8 + 8 + 8 + 8 s: a database back within about 45 s still gets the SENT mark of a mail already out. */
const SENT_MARK_ATTEMPTS = 9;

/**
 * Notifications through one activity per channel, each keyed by an idempotency key recorded in the
 * Notification table. The row is written before the mail goes out and marked SENT after, so a retry
 * after a crash or a timeout never sends a second message for a key already SENT. (If the process
 * dies between the SMTP hand-off and the SENT mark, the retry re-sends with the same Message-ID,
 * which lets the receiving side drop the duplicate.)
 */
export function createNotificationActivities({ prisma, mailer, from }: NotificationDeps) {
  async function sendEmail(request: EmailRequest): Promise<EmailReceipt> {
    if (!SIMPLE_EMAIL.test(request.to)) {
      // No retry can fix a bad address: fail the call for the workflow to decide.
      throw ApplicationFailure.nonRetryable('Recipient address is not a valid e-mail address', 'InvalidRecipient');
    }
    // Units by name: the engine writes their codes.
    const units = await unitNamesIn(prisma, [request.subject, request.text]);
    const subject = withUnitNames(request.subject, units);
    const text = withUnitNames(request.text, units);
    const notification = await prisma.notification.upsert({
      where: { idempotencyKey: request.idempotencyKey },
      create: {
        idempotencyKey: request.idempotencyKey,
        channel: 'EMAIL',
        recipient: request.to,
        subject,
        body: text,
      },
      update: {},
    });
    if (notification.status === 'SENT' && notification.messageId) {
      return { notificationId: notification.id, messageId: notification.messageId, sentNow: false };
    }
    const messageId = `<${notification.id}@procedures.local>`;
    try {
      await mailer.sendMail({ from, to: request.to, subject, text, messageId });
    } catch (error) {
      // A permanent refusal (5xx: no such mailbox, address too long...) is not an outage: no retry helps.
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500 && code < 600) {
        throw ApplicationFailure.create({ message: `The mail server refused the recipient (${code})`, type: 'MailRejected', nonRetryable: true, cause: error as Error });
      }
      throw error;
    }
    await markSent(notification.id, messageId);
    return { notificationId: notification.id, messageId, sentNow: true };
  }

  /**
   * The mail is out: its SENT mark must land, or a retry of the activity would send it again. A
   * database that is away for a while (a restart, a fail-over) is waited for here, within the
   * attempt's time (MAIL_CALLS), rather than failing the attempt.
   */
  async function markSent(notificationId: string, messageId: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await prisma.notification.update({ where: { id: notificationId }, data: { status: 'SENT', messageId, sentAt: new Date() } });
        return;
      } catch (error) {
        if (attempt >= SENT_MARK_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000 * 2 ** (attempt - 1), 8_000)));
      }
    }
  }

  /**
   * A notification whose address can never take it (malformed, or refused for good by the mail
   * server) is skipped: the dossier goes on, and its page still shows what happened. False then.
   */
  async function sendUnlessUndeliverable(request: EmailRequest): Promise<boolean> {
    try {
      await sendEmail(request);
      return true;
    } catch (error) {
      if (error instanceof ApplicationFailure && (error.type === 'InvalidRecipient' || error.type === 'MailRejected')) return false;
      throw error;
    }
  }

  /**
   * Mail to the dossier's owner, in the language the run chose, else the recipient's (`recipientLanguage`).
   * No address on file: nothing is sent (the dossier page still shows it).
   */
  async function notifyApplicant(input: CitizenMail): Promise<{ sent: number }> {
    const mail = CitizenMail.parse(input);
    const dossier = await prisma.dossier.findUnique({ where: { id: mail.dossierId }, select: { applicantPin: true, data: true } });
    if (!dossier?.applicantPin) return { sent: 0 };
    const declared = (dossier.data as { contactEmail?: string } | null)?.contactEmail;
    const to = await lookupContactEmail(prisma, dossier.applicantPin, declared);
    if (!to) return { sent: 0 };
    const { subject, text } = await mailFor(prisma, dossier.applicantPin, mail);
    const sent = await sendUnlessUndeliverable({ idempotencyKey: `${mail.dossierId}/${mail.key}`, to, subject, text });
    return { sent: sent ? 1 : 0 };
  }

  /**
   * Mail to the staff of a unit with the given roles (and the unit's own mailbox, for escalations).
   * One key per recipient, so a retry after a partial failure sends only the ones still missing.
   */
  async function notifyUnitStaff(input: {
    unitCode: string;
    roles: Array<'clerk' | 'officer' | 'supervisor'>;
    key: string;
    subject: string;
    text: string;
    copyUnitMailbox?: boolean;
    /** Go this many levels up the unit tree first (the top unit answers for itself). */
    levelsUp?: number;
  }): Promise<{ sent: number; unitCode: string }> {
    const unitCode = await ancestor(input.unitCode, input.levelsUp ?? 0);
    const unit = await prisma.unit.findUnique({
      where: { code: unitCode },
      select: { email: true, staff: { where: { active: true, role: { in: input.roles } }, select: { id: true, email: true } } },
    });
    if (!unit) return { sent: 0, unitCode };
    const recipients = unit.staff.map((s) => ({ id: s.id, email: s.email }));
    if (input.copyUnitMailbox && unit.email) recipients.push({ id: `unit-${unitCode}`, email: unit.email });
    let sent = 0;
    for (const r of recipients) {
      if (await sendUnlessUndeliverable({ idempotencyKey: `${input.key}/${r.id}`, to: r.email, subject: input.subject, text: input.text })) sent += 1;
    }
    return { sent, unitCode };
  }

  async function ancestor(unitCode: string, levels: number): Promise<string> {
    let code = unitCode;
    for (let i = 0; i < levels; i += 1) {
      const unit = await prisma.unit.findUnique({ where: { code }, select: { parentCode: true } });
      if (!unit?.parentCode) break;
      code = unit.parentCode;
    }
    return code;
  }

  /** Mail about a task: to whoever claimed it, else to the clerks of its unit. */
  async function notifyTaskHolder(input: { taskId: string; key: string; subject: string; text: string }): Promise<{ sent: number }> {
    const task = await prisma.task.findUnique({ where: { id: input.taskId }, select: { assignee: true, unitCode: true } });
    if (!task) return { sent: 0 };
    const assignee = task.assignee ? await prisma.staff.findUnique({ where: { id: task.assignee }, select: { id: true, email: true } }) : null;
    if (assignee) {
      const sent = await sendUnlessUndeliverable({ idempotencyKey: `${input.key}/${assignee.id}`, to: assignee.email, subject: input.subject, text: input.text });
      return { sent: sent ? 1 : 0 };
    }
    const { sent } = await notifyUnitStaff({ unitCode: task.unitCode, roles: ['clerk'], key: input.key, subject: input.subject, text: input.text });
    return { sent };
  }

  return { sendEmail, notifyApplicant, notifyUnitStaff, notifyTaskHolder };
}
