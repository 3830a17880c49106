import { ApplicationFailure } from '@temporalio/common';
import type { Transporter } from 'nodemailer';
import type { PrismaClient } from '../prisma/client';

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

const SIMPLE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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
    const notification = await prisma.notification.upsert({
      where: { idempotencyKey: request.idempotencyKey },
      create: {
        idempotencyKey: request.idempotencyKey,
        channel: 'EMAIL',
        recipient: request.to,
        subject: request.subject,
        body: request.text,
      },
      update: {},
    });
    if (notification.status === 'SENT' && notification.messageId) {
      return { notificationId: notification.id, messageId: notification.messageId, sentNow: false };
    }
    const messageId = `<${notification.id}@procedures.local>`;
    await mailer.sendMail({ from, to: request.to, subject: request.subject, text: request.text, messageId });
    await prisma.notification.update({
      where: { id: notification.id },
      data: { status: 'SENT', messageId, sentAt: new Date() },
    });
    return { notificationId: notification.id, messageId, sentNow: true };
  }

  return { sendEmail };
}
