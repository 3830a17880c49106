import type { Transporter } from 'nodemailer';
import { createNotificationActivities } from '../../activities/notification';
import type { PrismaClient } from '../../prisma/client';

// A mail handed to the SMTP server while the database goes away: its SENT mark is waited for within
// the attempt, so the attempt succeeds and no retry sends the mail a second time.
describe('sendEmail when the database is away just after the mail went out', () => {
  it('sends once and records SENT once the database is back', async () => {
    jest.useFakeTimers();
    try {
      const sent: string[] = [];
      const marks: string[] = [];
      let failuresLeft = 3;
      const notification = { id: 'n-1', status: 'PENDING', messageId: null };
      const prisma = {
        notification: {
          upsert: async () => notification,
          update: async (args: { data: { status: string } }) => {
            if (failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error("Can't reach database server");
            }
            marks.push(args.data.status);
            return notification;
          },
        },
      } as unknown as PrismaClient;
      const mailer = { sendMail: async (mail: { to: string }) => sent.push(mail.to) } as unknown as Transporter;
      const { sendEmail } = createNotificationActivities({ prisma, mailer, from: 'no-reply@city.example' });

      const receipt = sendEmail({ idempotencyKey: 'D-1/receipt', to: 'an@example.com', subject: 'Received', text: 'We received it' });
      await jest.advanceTimersByTimeAsync(10_000);

      await expect(receipt).resolves.toMatchObject({ sentNow: true, messageId: '<n-1@procedures.local>' });
      expect(sent).toEqual(['an@example.com']);
      expect(marks).toEqual(['SENT']);
    } finally {
      jest.useRealTimers();
    }
  });
});
