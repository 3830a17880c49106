import { randomUUID } from 'node:crypto';
import { createNotificationActivities } from '../../activities/notification';
import { platformCheckWorkflow } from '../../workflows';
import { MAIL_FROM, startIntegrationEnv, type IntegrationEnv } from '../support/integration';

// The whole chain on real parts: client → Temporal dev server → worker → Prisma row in PostgreSQL
// and a mail through SMTP, read back from the SMTP server.
describe('platform chain (real Temporal, PostgreSQL, SMTP)', () => {
  let env: IntegrationEnv;

  beforeAll(async () => {
    env = await startIntegrationEnv();
    await env.startWorker();
  });
  afterAll(() => env?.stop());

  it('runs a workflow whose activities write a row and send a mail', async () => {
    const workflowId = `platform-check-${randomUUID()}`;
    const result = await env.temporal.client.workflow.execute(platformCheckWorkflow, {
      taskQueue: env.temporal.taskQueue,
      workflowId,
      args: [{ recipient: 'operator@city.example', note: 'integration test' }],
    });

    const row = await env.prisma.systemCheck.findUnique({ where: { workflowId } });
    expect(row).toMatchObject({ id: result.checkId, note: 'integration test' });

    const mail = await env.smtp.waitFor((m) => m.to.includes('operator@city.example'));
    expect(mail.subject).toBe('Platform check');
    expect(mail.text).toContain(result.checkId);
    expect(mail.from).toBe('no-reply@procedures.test');

    const notification = await env.prisma.notification.findUnique({ where: { idempotencyKey: `${workflowId}/platform-check` } });
    expect(notification).toMatchObject({ status: 'SENT', messageId: result.messageId });
  });

  it('sends a notification once however often the activity is retried', async () => {
    const { sendEmail } = createNotificationActivities({ prisma: env.prisma, mailer: env.mailer, from: MAIL_FROM });
    const request = { idempotencyKey: `retry-${randomUUID()}`, to: 'citizen@city.example', subject: 'Receipt', text: 'Received.' };

    const first = await sendEmail(request);
    const retried = await sendEmail(request);
    // A marker sent afterwards on the same relay: once it is in, anything the retry sent would be too.
    await sendEmail({ ...request, idempotencyKey: `marker-${randomUUID()}`, subject: 'Marker' });
    await env.smtp.waitFor((m) => m.subject === 'Marker');

    expect(first.sentNow).toBe(true);
    expect(retried).toEqual({ ...first, sentNow: false });
    expect(env.smtp.mails.filter((m) => m.subject === 'Receipt')).toHaveLength(1);
  });

  it('refuses an invalid recipient without retrying', async () => {
    const { sendEmail } = createNotificationActivities({ prisma: env.prisma, mailer: env.mailer, from: MAIL_FROM });
    await expect(
      sendEmail({ idempotencyKey: `bad-${randomUUID()}`, to: 'not-an-address', subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ nonRetryable: true, type: 'InvalidRecipient' });
  });
});
