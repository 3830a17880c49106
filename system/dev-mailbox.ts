import type { PrismaClient } from '../prisma/client';
import type { ReceivedMail } from './embedded-smtp';

/** Dev mode: what the embedded SMTP server receives is kept in the database for GET /dev/mailbox. */
export function storeDevMail(prisma: PrismaClient) {
  return async (mail: ReceivedMail): Promise<void> => {
    await prisma.devMail.create({
      data: {
        sender: mail.from,
        recipients: mail.to.map((address) => address.toLowerCase()),
        subject: mail.subject,
        text: mail.text,
        receivedAt: mail.receivedAt,
      },
    });
  };
}
