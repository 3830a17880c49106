import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SharedActivities } from '../activities';

/** Input of the platform self-check: where to send the proof mail, and a free-text note. */
export interface PlatformCheckInput {
  recipient: string;
  note: string;
}

export interface PlatformCheckResult {
  checkId: string;
  messageId: string;
}

const { recordSystemCheck } = proxyActivities<SharedActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

// Mail relays can be slow to accept; a retry is safe because the activity is keyed.
const { sendEmail } = proxyActivities<SharedActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/**
 * Proves the whole chain at once: the client starts a workflow on the real server, the worker runs
 * it, one activity writes a row with Prisma and another sends a mail through SMTP.
 */
export async function platformCheckWorkflow(input: PlatformCheckInput): Promise<PlatformCheckResult> {
  const { workflowId } = workflowInfo();
  const { checkId } = await recordSystemCheck({ workflowId, note: input.note });
  const { messageId } = await sendEmail({
    idempotencyKey: `${workflowId}/platform-check`,
    to: input.recipient,
    subject: 'Platform check',
    text: `The procedures engine is up: worker, database and mail all answered.\nCheck ${checkId}: ${input.note}`,
  });
  return { checkId, messageId };
}
