import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { addCalendarDays, localDateOf } from '../../common/calendar';
import type { OwnerLookup } from '../../procedures/traffic-fine/activities';
import type { TrafficFineFacts } from '../../procedures/traffic-fine/definition';
import { trafficFineWorkflow, type TrafficFineInput } from '../../procedures/traffic-fine/workflow';
import { completeTaskUpdate, dossierStateQuery, FailureTypes, respondUpdate } from '../../workflows/shared/messages';
import { createFakeActivities, planStep, type FakeActivities, type FakeActivityOptions } from '../support/fake-activities';
import { formatLocalTime } from '../../common/local-time';
import { DEFAULT_FINE, VIOLATION_NAMES } from '../support/fakes/traffic-fine';
import { expectNear, expectRejected, local, MINUTE, recordHistory, useTimeSkipping, waitFor, waitForState, waitForTask } from './helpers';

// The traffic-fine workflow (procedures/traffic-fine/README.md) on the time-skipping server, every activity replaced by
// an in-memory fake: one test per path of the issue, the notice's 10-day and the answer's 20-day
// instants checked to the minute. No test leaves a workflow running.

type Handle = WorkflowHandle<typeof trafficFineWorkflow>;

const PROCEDURE = 'traffic-fine';
const POLICE = 'HCMC-PC08';
const WARD = 'W-BEN-THANH';
const OTHER_WARD = 'W-THU-DAU-MOT';
const OWNER_PIN = '079088004127';
const OFFICER = 'officer.hcmc-pc08';
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// One time-skipping server for the file.
const { env, envNow, sleepUntil, resultOf, finished, withWorkflow: runWorkflow } = useTimeSkipping({ settleMs: 300 });

// ---------------------------------------------------------------------------------------------
// Helpers

const caseId = (label: string) => `TFN-TEST-${label}-${randomUUID().slice(0, 8)}`;

/** A case as the API opens it: captured an hour ago, the notice due 10 calendar days after the capture date. */
function caseInput(id: string, capturedAt: Date, facts: Partial<TrafficFineFacts> = {}): TrafficFineInput {
  const dueAt = planStep(PROCEDURE, 'dossier', capturedAt).dueAt.toISOString();
  return {
    dossierId: id,
    unitCode: POLICE,
    receivedAt: new Date(capturedAt.getTime() + HOUR).toISOString(),
    dueAt,
    request: { capturedAt: capturedAt.toISOString(), locationUnitCode: WARD, violationCode: 'RED-LIGHT-CAR', plateRead: true, ...facts },
    publicBaseUrl: 'https://dichvucong.example',
  };
}

/** The open task of a step, once the workflow and the (fake) inbox both have it. */
const openTask = (handle: Handle, fake: FakeActivities, step: string) => waitForTask(handle, fake, step);

function complete(handle: Handle, taskId: string, outcome: string, data?: Record<string, unknown>, completedBy = OFFICER) {
  return handle.executeUpdate(completeTaskUpdate, { args: [{ taskId, outcome, data, completedBy }] });
}

function respond(handle: Handle, data: Record<string, unknown>, updateId?: string) {
  return handle.executeUpdate(respondUpdate, { args: [{ data, answeredBy: OWNER_PIN }], ...(updateId ? { updateId } : {}) });
}

const pay = (handle: Handle, paymentKey: string, amount = DEFAULT_FINE) => respond(handle, { action: 'pay', amount, paymentKey }, `pay/${paymentKey}`);

/** Confirms the case; resolves once the owner is asked to answer. */
async function confirmAndNotice(handle: Handle, fake: FakeActivities) {
  await complete(handle, (await openTask(handle, fake, 'confirm')).taskId, 'confirm');
  const waiting = await waitForState(handle, (s) => s.status === 'awaiting-response', 'the notice');
  // The workflow's state moves before its write lands: wait for the row too.
  await waitFor(() => fake.dossiers.get(handle.workflowId)?.status === 'awaiting-response', 'the row awaiting the response');
  return waiting;
}

/** Runs one case on a worker of its own (see useTimeSkipping().withWorkflow): no applicant, the police open it. */
function withWorkflow<T>(fake: FakeActivities, input: TrafficFineInput, body: (handle: Handle, taskQueue: string) => Promise<T>): Promise<T> {
  return runWorkflow(fake, { workflow: trafficFineWorkflow, procedure: PROCEDURE, input }, body);
}

const outcomes = (fake: FakeActivities, id: string) => fake.history(id).map((e) => `${e.step}/${e.outcome}`);
const noticeIssuedAt = (fake: FakeActivities, id: string) => new Date(fake.documents.get(id)!.issuedAt);
/** 20 calendar days after the notice's date, at the end of the office day. */
const answerDueAfter = (notice: Date) => local(addCalendarDays(localDateOf(notice), 20), '17:00');
const fresh = (options: FakeActivityOptions = {}) => createFakeActivities(options);

// ---------------------------------------------------------------------------------------------

describe('trafficFineWorkflow', () => {
  it('paid within the notice period: the notice due 10 days after the capture, the answer 20 days after the notice, paid once', async () => {
    const id = caseId('paid');
    const fake = fresh();
    const capturedAt = new Date((await envNow()).getTime() - HOUR);
    const input = caseInput(id, capturedAt);
    // The notice's deadline: the 10th calendar day after the capture date, 17:00 local.
    expect(input.dueAt).toBe(local(addCalendarDays(localDateOf(capturedAt), 10), '17:00').toISOString());

    const result = await withWorkflow(fake, input, async (handle) => {
      expect((await openTask(handle, fake, 'confirm')).unitCode).toBe(POLICE);
      const waiting = await confirmAndNotice(handle, fake);
      const due = answerDueAfter(noticeIssuedAt(fake, id));
      expectNear(waiting.awaiting?.dueAt, due);
      expect(fake.dossiers.get(id)!.dueAt).toBe(waiting.awaiting!.dueAt);
      await waitFor(() => fake.mailsTo(`${id}/notice`).length === 1, 'the notice mail');

      // Three days later the owner pays: a wrong amount is refused, a retry charges nothing more.
      await sleepUntil(new Date(noticeIssuedAt(fake, id).getTime() + 3 * DAY));
      await expectRejected(respond(handle, { action: 'pay', amount: 1_000, paymentKey: 'k0' }), FailureTypes.invalidAnswer);
      const [first, again] = await Promise.all([pay(handle, 'k1'), pay(handle, 'k1')]);
      expect(first).toEqual(again);
      const outcome = await resultOf(handle);
      await recordHistory(handle, 'traffic-fine-paid.json');
      return outcome;
    });

    expect(result).toMatchObject({ status: 'paid' });
    expect(fake.callsOf('payFine').map((c) => (c.input as { paymentKey: string }).paymentKey)).toEqual(['k1']);
    expect(fake.callsOf('publishAndFlag')).toEqual([]);
    expect(outcomes(fake, id)).toEqual([
      'receive/received',
      'confirm/task-opened',
      'confirm/confirm',
      'find-owner/owner-found',
      'notice/notice-issued',
      'respond/paid',
      'close/closed',
    ]);
    expect(fake.dossiers.get(id)).toMatchObject({ status: 'paid', result: { paid: true, amount: DEFAULT_FINE, balance: 0 } });
    expect(fake.mailsTo(`${id}/result`)).toHaveLength(1);

    // The owner never said what they read: the notice in Vietnamese, the fine in đồng, the violation by
    // its name (not its code), the moments day first, the answer on the portal, the check on /verify.
    const [notice] = fake.mailsTo(`${id}/notice`);
    const noticeCode = fake.documents.get(id)!.code;
    expect(notice!.subject).toBe(`Thông báo vi phạm giao thông ${id}: 5.000.000 ₫`);
    expect(notice!.text).toContain(`lúc ${formatLocalTime(input.request.capturedAt)}: ${VIOLATION_NAMES['RED-LIGHT-CAR']!.vi}.`);
    expect(notice!.text).toContain(`Mức phạt: 5.000.000 ₫. Mã xác thực thông báo ${noticeCode}: https://dichvucong.example/verify/${noticeCode}`);
    expect(notice!.text).toMatch(new RegExp(`Vui lòng trả lời trước \\d\\d/\\d\\d/\\d{4} 17:00 \\(GMT\\+7\\) tại https://dichvucong\\.example/portal/dossiers/${id}:`));
    expect(notice!.text).not.toContain('RED-LIGHT-CAR');
    expect(fake.mailsTo(`${id}/result`)[0]).toMatchObject({ subject: `Vi phạm giao thông ${id}: đã nộp phạt, kết thúc vụ việc`, text: 'Chúng tôi đã nhận 5.000.000 ₫. Vụ việc đã kết thúc.' });
    // The history in both languages, the English apart for a reader who asks for it.
    expect(fake.history(id).find((e) => e.outcome === 'notice-issued')).toMatchObject({
      note: `Thông báo mã xác thực ${noticeCode}: ${VIOLATION_NAMES['RED-LIGHT-CAR']!.vi}, mức phạt 5.000.000 ₫`,
      noteEn: `Notice with verification code ${noticeCode}: ${VIOLATION_NAMES['RED-LIGHT-CAR']!.en}, fine 5.000.000 ₫`,
    });
    expect(fake.history(id).find((e) => e.outcome === 'paid')!.note).toMatch(/^Đã nộp 5\.000\.000 ₫ \(giao dịch /);
  });

  it('no answer: published and flagged on the 20th day after the notice, to the minute; paid, the flag is lifted', async () => {
    const id = caseId('published');
    const fake = fresh();
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    await withWorkflow(fake, input, async (handle) => {
      await confirmAndNotice(handle, fake);
      const due = answerDueAfter(noticeIssuedAt(fake, id));
      // The reminder 3 days before; nothing is published a minute before the deadline.
      await sleepUntil(new Date(due.getTime() - MINUTE));
      expect(fake.mailsTo(`${id}/reminder-1`)).toHaveLength(1);
      expectNear(fake.mailsTo(`${id}/reminder-1`)[0]!.at, new Date(due.getTime() - 3 * DAY));
      expect(fake.callsOf('publishAndFlag')).toEqual([]);

      await sleepUntil(new Date(due.getTime() + MINUTE));
      const published = await waitForState(handle, (s) => s.status === 'published', 'the publication');
      expect(fake.callsOf('publishAndFlag')).toHaveLength(1);
      expectNear(fake.callsOf('publishAndFlag')[0]!.at, due);
      expect(outcomes(fake, id)).toEqual(expect.arrayContaining(['publish/published', 'publish/flagged']));
      // Now the case waits for the payment (a year, then supervision shows it overdue); only paying settles it.
      expect(published.awaiting?.kind).toBe('respond');
      await expectRejected(respond(handle, { action: 'dispute', reason: 'Xe đã bán' }), FailureTypes.invalidAnswer);

      await sleepUntil(new Date(due.getTime() + 5 * DAY));
      await pay(handle, 'late-payment');
      expect(await resultOf(handle)).toMatchObject({ status: 'paid' });
      await recordHistory(handle, 'traffic-fine-published.json');
    });
    expect(fake.callsOf('settleCase')).toHaveLength(1);
    expect(outcomes(fake, id).slice(-5)).toEqual(['publish/flagged', 'respond/paid', 'close/unpublished', 'close/flag-lifted', 'close/closed']);
  });

  it('disputed and dismissed: an officer reviews the dispute and dismisses the case', async () => {
    const id = caseId('dispute-dismissed');
    // An owner who reads English (their stored preference): the notification activity picks it.
    const fake = fresh({ recipientLanguage: 'en' });
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    const result = await withWorkflow(fake, input, async (handle) => {
      await confirmAndNotice(handle, fake);
      await respond(handle, { action: 'dispute', reason: 'Xe của tôi đang ở gara hôm đó' });
      const review = await openTask(handle, fake, 'review-dispute');
      expect(review.unitCode).toBe(POLICE);
      expect(fake.tasks.get(review.taskId)!.context).toEqual({ reason: 'Xe của tôi đang ở gara hôm đó' });
      expect((await handle.query(dossierStateQuery)).awaiting).toBeNull();
      // While the officer reviews, the owner cannot answer again.
      await expectRejected(pay(handle, 'k1'), FailureTypes.notAwaiting);
      await complete(handle, review.taskId, 'dismiss', { reason: 'Ảnh cho thấy biển số bị làm giả' });
      return finished(handle, 'traffic-fine-dispute-dismissed.json');
    });

    expect(result).toMatchObject({ status: 'dismissed', reason: 'Ảnh cho thấy biển số bị làm giả' });
    expect(outcomes(fake, id).slice(-4)).toEqual(['respond/disputed', 'review-dispute/task-opened', 'review-dispute/dismiss', 'review-dispute/dismissed']);
    expect(fake.callsOf('payFine')).toEqual([]);
    expect(fake.mailsTo(`${id}/result`)).toHaveLength(1);
    expect(fake.mailsTo(`${id}/notice`)[0]!.subject).toBe(`Traffic violation notice ${id}: 5.000.000 ₫`);
    expect(fake.mailsTo(`${id}/notice`)[0]!.text).toContain(`: ${VIOLATION_NAMES['RED-LIGHT-CAR']!.en}.\nFine: 5.000.000 ₫.`);
    expect(fake.mailsTo(`${id}/result`)[0]).toMatchObject({
      subject: `Traffic violation ${id}: case dismissed`,
      text: 'The traffic police dismissed the case: Ảnh cho thấy biển số bị làm giả. Nothing is to be paid.',
    });
  });

  it('disputed, upheld, then paid: the owner has 20 days again from the decision', async () => {
    const id = caseId('dispute-upheld');
    const fake = fresh();
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    await withWorkflow(fake, input, async (handle) => {
      await confirmAndNotice(handle, fake);
      await sleepUntil(new Date(noticeIssuedAt(fake, id).getTime() + 15 * DAY));
      await respond(handle, { action: 'dispute', reason: 'Đèn vàng, không phải đèn đỏ' });
      const review = await openTask(handle, fake, 'review-dispute');
      await sleepUntil(new Date((await envNow()).getTime() + 2 * DAY));
      await complete(handle, review.taskId, 'uphold');
      const decidedAt = await envNow();
      const waiting = await waitForState(handle, (s) => s.status === 'awaiting-response' && s.awaiting?.round === 2, 'the second answer');
      expectNear(waiting.awaiting?.dueAt, local(addCalendarDays(localDateOf(decidedAt), 20), '17:00'));
      await waitFor(() => fake.mailsTo(`${id}/dispute-upheld-2`).length === 1, 'the mail after the decision');
      // The first 20 days have passed meanwhile: nothing is published for them.
      await sleepUntil(new Date(answerDueAfter(noticeIssuedAt(fake, id)).getTime() + HOUR));
      expect(fake.callsOf('publishAndFlag')).toEqual([]);
      await expectRejected(respond(handle, { action: 'dispute', reason: 'Lần nữa' }), FailureTypes.invalidAnswer);
      await pay(handle, 'k1');
      expect(await resultOf(handle)).toMatchObject({ status: 'paid' });
      await recordHistory(handle, 'traffic-fine-dispute-upheld.json');
    });
    expect(outcomes(fake, id)).toEqual(expect.arrayContaining(['respond/disputed', 'review-dispute/uphold', 'respond/paid', 'close/closed']));
  });

  it('accepted with a date, not paid by it: published at the end of that day', async () => {
    const id = caseId('accepted');
    const fake = fresh();
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    await withWorkflow(fake, input, async (handle) => {
      await confirmAndNotice(handle, fake);
      const today = localDateOf(await envNow());
      await expectRejected(respond(handle, { action: 'accept', payBy: addCalendarDays(today, 31) }), FailureTypes.invalidAnswer);
      const payBy = addCalendarDays(today, 25);
      await respond(handle, { action: 'accept', payBy });
      const promised = local(payBy, '17:00');
      const waiting = await waitForState(handle, (s) => s.awaiting?.round === 2, 'the promise');
      expect(waiting.awaiting?.dueAt).toBe(promised.toISOString());
      await sleepUntil(new Date(promised.getTime() + MINUTE));
      await waitForState(handle, (s) => s.status === 'published', 'the publication');
      expectNear(fake.callsOf('publishAndFlag')[0]!.at, promised);
      await pay(handle, 'k1');
      expect(await finished(handle, 'traffic-fine-accepted-published.json')).toMatchObject({ status: 'paid' });
    });
    expect(outcomes(fake, id)).toEqual(expect.arrayContaining(['respond/accepted', 'publish/published', 'close/flag-lifted']));
  });

  it('an owner under another commune: its police get a task to deliver the notice, withdrawn once paid', async () => {
    const id = caseId('other-ward');
    const fake = fresh({ ownerLookups: [{ vehicle: 'registered', owner: 'found', residenceUnitCode: OTHER_WARD, reachable: true }] });
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    await withWorkflow(fake, input, async (handle) => {
      await confirmAndNotice(handle, fake);
      const delivery = await openTask(handle, fake, 'deliver-notice');
      expect(delivery.unitCode).toBe(OTHER_WARD);
      expect(fake.tasks.get(delivery.taskId)).toMatchObject({ procedure: PROCEDURE, outcomes: ['delivered', 'not-delivered'] });
      // The case does not wait for the delivery: the owner pays before the ward's police act.
      await pay(handle, 'k1');
      expect(await finished(handle, 'traffic-fine-deliver-notice.json')).toMatchObject({ status: 'paid' });
      expect(fake.tasks.get(delivery.taskId)!.status).toBe('cancelled');
    });
    expect(outcomes(fake, id)).toEqual(expect.arrayContaining(['deliver-notice/task-opened', 'respond/paid']));
  });

  it('an unknown owner: an officer finds them, then the notice goes out', async () => {
    const id = caseId('unknown-owner');
    const fake = fresh({
      ownerLookups: [
        { vehicle: 'registered', owner: 'unknown', reachable: false },
        { vehicle: 'registered', owner: 'found', residenceUnitCode: WARD, reachable: true },
      ] satisfies OwnerLookup[],
    });
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    await withWorkflow(fake, input, async (handle) => {
      await complete(handle, (await openTask(handle, fake, 'confirm')).taskId, 'confirm');
      const find = await openTask(handle, fake, 'find-owner');
      expect(find.unitCode).toBe(POLICE);
      expect((await handle.query(dossierStateQuery)).status).toBe('finding-owner');
      await expectRejected(complete(handle, find.taskId, 'owner-found', { ownerPin: '123' }), FailureTypes.invalidTaskData);
      await complete(handle, find.taskId, 'owner-found', { ownerPin: OWNER_PIN });
      await waitForState(handle, (s) => s.status === 'awaiting-response', 'the notice');
      expect(fake.callsOf('lookupOwner').map((c) => c.input)).toEqual([{ dossierId: id }, { dossierId: id, taskId: find.taskId }]);
      await pay(handle, 'k1');
      await finished(handle, 'traffic-fine-owner-found-by-officer.json');
    });
    expect(outcomes(fake, id).slice(0, 8)).toEqual([
      'receive/received',
      'confirm/task-opened',
      'confirm/confirm',
      'find-owner/owner-unknown',
      'find-owner/task-opened',
      'find-owner/owner-found',
      'find-owner/owner-found',
      'notice/notice-issued',
    ]);
  });

  it('a missing plate: an officer reads it from the images before the confirmation', async () => {
    const id = caseId('no-plate');
    const fake = fresh();
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR), { plateRead: false });

    await withWorkflow(fake, input, async (handle) => {
      const read = await openTask(handle, fake, 'read-plate');
      expect((await handle.query(dossierStateQuery)).status).toBe('reading-plate');
      await expectRejected(complete(handle, read.taskId, 'read', { plateNumber: 'ABC' }), FailureTypes.invalidTaskData);
      await complete(handle, read.taskId, 'read', { plateNumber: '51f 12345' });
      await confirmAndNotice(handle, fake);
      await pay(handle, 'k1');
      await finished(handle, 'traffic-fine-plate-read.json');
    });
    expect(fake.callsOf('setPlate').map((c) => c.input)).toEqual([{ dossierId: id, plateNumber: '51F-123.45' }]);
    expect(outcomes(fake, id).slice(0, 5)).toEqual(['receive/received', 'read-plate/task-opened', 'read-plate/read', 'confirm/task-opened', 'confirm/confirm']);
  });

  it('duplicate evidence: the case id is taken, a second start is refused and one case goes on', async () => {
    const id = caseId('duplicate');
    const fake = fresh();
    const input = caseInput(id, new Date((await envNow()).getTime() - HOUR));

    await withWorkflow(fake, input, async (handle, taskQueue) => {
      await openTask(handle, fake, 'confirm');
      // The same evidence gives the same id (the API derives it from the fingerprint): Temporal refuses a second run.
      await expect(env().client.workflow.start(trafficFineWorkflow, { taskQueue, workflowId: id, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' })).rejects.toBeInstanceOf(
        WorkflowExecutionAlreadyStartedError,
      );
      await confirmAndNotice(handle, fake);
      await pay(handle, 'k1');
      await resultOf(handle);
      // Even once closed, the id cannot start the case again.
      await expect(env().client.workflow.start(trafficFineWorkflow, { taskQueue, workflowId: id, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' })).rejects.toBeInstanceOf(
        WorkflowExecutionAlreadyStartedError,
      );
    });
    // One run: one receive line in the case's history.
    expect(outcomes(fake, id).filter((o) => o === 'receive/received')).toHaveLength(1);
    expect([...fake.tasks.values()].filter((t) => t.dossierId === id && t.step === 'confirm')).toHaveLength(1);
    expect(fake.callsOf('issueNotice')).toHaveLength(1);
  });
});
