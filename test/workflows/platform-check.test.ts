import { randomUUID } from 'node:crypto';
import { Worker } from '@temporalio/worker';
import type { SharedActivities } from '../../activities';
import type { EmailRequest } from '../../activities/notification';
import { platformCheckWorkflow } from '../../workflows';
import { workflowBundle } from '../support/temporal';
import { recordHistory, useTimeSkipping } from './helpers';

// Workflow logic on the time-skipping server, with the activities replaced: this file tests the
// workflow alone (retries, order, idempotency keys), not the systems behind the activities.
describe('platformCheckWorkflow', () => {
  const { env } = useTimeSkipping();

  it('records the check, then mails it with a key derived from the workflow id, retrying an outage', async () => {
    const taskQueue = `test-${randomUUID()}`;
    const workflowId = `platform-check-${randomUUID()}`;
    const calls: string[] = [];
    const mails: EmailRequest[] = [];
    let mailAttempts = 0;
    const activities: Pick<SharedActivities, 'recordSystemCheck' | 'sendEmail'> = {
      async recordSystemCheck(input) {
        calls.push(`record:${input.workflowId}`);
        return { checkId: 'check-1' };
      },
      async sendEmail(request) {
        mailAttempts += 1;
        if (mailAttempts === 1) throw new Error('SMTP relay unreachable');
        calls.push('mail');
        mails.push(request);
        return { notificationId: 'n-1', messageId: '<m-1@test>', sentNow: true };
      },
    };
    const worker = await Worker.create({
      connection: env().nativeConnection,
      taskQueue,
      workflowBundle: workflowBundle(),
      activities,
    });

    const result = await worker.runUntil(
      env().client.workflow.execute(platformCheckWorkflow, {
        taskQueue,
        workflowId,
        args: [{ recipient: 'operator@city.example', note: 'time-skipping' }],
      }),
    );

    expect(result).toEqual({ checkId: 'check-1', messageId: '<m-1@test>' });
    expect(calls).toEqual([`record:${workflowId}`, 'mail']);
    expect(mailAttempts).toBe(2);
    expect(mails[0]).toMatchObject({ idempotencyKey: `${workflowId}/platform-check`, to: 'operator@city.example' });

    await recordHistory(env().client.workflow.getHandle(workflowId), 'platform-check.json');
  });
});
