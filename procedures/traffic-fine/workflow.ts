import { ActivityFailure, ApplicationFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Bilingual } from '../../common/bilingual';
import { addCalendarDays, localDateOf, WorkingCalendar } from '../../common/calendar';
import { MAIL_CALLS, REGISTRY_CALLS, STORE_CALLS, store } from '../../workflows/shared/activity-stubs';
import { doneBy, nowIso, workflowNow } from '../../workflows/shared/clock';
import { DossierRun } from '../../workflows/shared/dossier-run';
import { portalLink, verifyLink } from '../../workflows/shared/links';
import { waitTexts } from '../../workflows/shared/texts';
import type { AnswerKind, StatusOf } from '../define';
import { dossierStateQuery, FailureTypes, respondUpdate } from '../../workflows/shared/messages';
import type { ApplicantAnswer, ApplicantAnswerResult, Awaiting, DossierOutcome, DossierStart } from '../../workflows/shared/types';
import { describeIssues } from '../define';
import type { createActivities, NoticeRef, OwnerLookup, PaymentReceipt } from './activities';
import { MAX_PROMISE_DAYS, TrafficAnswer, trafficFine, type TrafficFineFacts } from './definition';
import { caseNotes, ownerAsked, ownerMails } from './texts';

/** The run of one dossier: advances to this procedure's statuses and records its outcomes only. */
type Run = DossierRun<typeof trafficFine>;

/**
 * Offline traffic fine (procedures/traffic-fine/README.md), one workflow per case (its id the dossier code, derived from
 * the evidence's fingerprint). The plate is read by an officer when the source had none; an officer
 * confirms; the owner is found and sent the notice; then the owner's answers (accept, dispute, pay)
 * until the fine is paid or the case dismissed. Unanswered 20 days after the notice, the vehicle is
 * published and flagged, and stays so until the case is settled.
 */
export type TrafficFineInput = DossierStart<TrafficFineFacts>;

type Activities = ReturnType<typeof createActivities>;
const registry = proxyActivities<Activities>(REGISTRY_CALLS);
const records = proxyActivities<Activities>(STORE_CALLS);
/** The payment system: external, like the registries; a payment is keyed, so a retry charges once. */
const payments = proxyActivities<Activities>(REGISTRY_CALLS);
const mail = proxyActivities<Activities>(MAIL_CALLS);

const { readPlate, confirm, findOwner, reviewDispute, deliverNotice } = trafficFine.steps;
const PROCEDURE = trafficFine.id;
/** The owner's answers have a wait of their own (OwnerWait): the run installs no shared answer handler. */
const OWNER_ANSWERS_APART: readonly AnswerKind[] = [];
/** A promised payment is due at the end of the office day of its date. */
const PROMISE_END_OF_DAY = '17:00';

/** The violation by its name (the fines table's, from the notice); runs recorded before the notice named it know its code only. */
function violationName(notice: NoticeRef, facts: TrafficFineFacts): Bilingual {
  return notice.violation ?? { vi: facts.violationCode, en: facts.violationCode };
}

/** The case is dismissed (an officer's decision): ends the run from any step. */
class Dismissal extends Error {
  constructor(
    readonly step: string,
    readonly actor: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

type Calls = { registry: typeof registry; records: typeof records; mail: typeof mail };

export async function trafficFineWorkflow(input: TrafficFineInput): Promise<DossierOutcome> {
  // The owner's answers go through this workflow's own handler (OwnerAnswers), not the shared
  // applicant wait: a notice is answered more than once (accept then pay, dispute then pay), and an
  // unanswered one does not lapse, it is published.
  // The owner never filed: no language is known, so each mail goes out in both for the notification activity to pick.
  const run: Run = new DossierRun(input.dossierId, trafficFine, input.unitCode, { answers: OWNER_ANSWERS_APART });
  const calls: Calls = { registry: run.calls(registry), records: run.calls(records), mail: run.calls(mail) };
  const owner = new OwnerAnswers(run);
  return run.execute(async () => {
    owner.installHandler();
    try {
      return await handleCase(run, calls, owner, input);
    } catch (error) {
      if (error instanceof Dismissal) return dismiss(run, calls, owner, error);
      throw error;
    }
  });
}

async function handleCase(run: Run, calls: Calls, owner: OwnerAnswers, input: TrafficFineInput): Promise<DossierOutcome> {
  const { dossierId, request: facts } = input;
  await run.record({
    step: 'receive',
    actor: 'system',
    outcome: 'received',
    note: caseNotes.received(facts.violationCode, facts.capturedAt, facts.locationUnitCode, input.dueAt),
  });

  if (!facts.plateRead) {
    await run.advance('reading-plate', readPlate.id);
    const read = await run.humanTask(readPlate, { unitCode: input.unitCode, context: { reason: 'Không có biển số, hoặc biển số không phải biển số Việt Nam' } });
    if (read.outcome === 'dismiss') throw new Dismissal(readPlate.id, `officer:${read.completedBy}`, read.data.reason);
    await calls.records.setPlate({ dossierId, plateNumber: read.data.plateNumber });
  }

  await run.advance('awaiting-confirmation', confirm.id);
  const confirmed = await run.humanTask(confirm, {
    unitCode: input.unitCode,
    context: { violationCode: facts.violationCode, capturedAt: facts.capturedAt, locationUnitCode: facts.locationUnitCode },
  });
  if (confirmed.outcome === 'dismiss') throw new Dismissal(confirm.id, `officer:${confirmed.completedBy}`, confirmed.data.reason);

  const found = await ownerOf(run, calls, input);
  await run.advance('notifying', 'notice', { decidedAt: nowIso() });
  const notice = await calls.records.issueNotice({ dossierId });
  owner.noticeSent = true;
  const late = Date.parse(notice.issuedAt) > Date.parse(input.dueAt);
  await run.record({
    step: 'notice',
    actor: 'system',
    outcome: 'notice-issued',
    note: caseNotes.noticeIssued(notice.code, violationName(notice, facts), notice.fineAmount, late ? input.dueAt : undefined),
  });
  // Another ward's owner (or one without an address) gets the notice from that ward's police too;
  // the case does not wait for them.
  const deliveringUnit = found.residenceUnitCode && found.residenceUnitCode !== facts.locationUnitCode ? found.residenceUnitCode : found.reachable ? undefined : input.unitCode;
  if (deliveringUnit) {
    // Its outcome changes nothing here; a case settled first withdraws it (TaskWithdrawn).
    void run.humanTask(deliverNotice, { unitCode: deliveringUnit, context: { noticeCode: notice.code } }).catch(() => undefined);
  }
  return settle(run, calls, owner, input, notice);
}

/** The vehicle registry, then the population data; failing that, an officer finds the owner (or dismisses). */
async function ownerOf(run: Run, calls: Calls, input: TrafficFineInput): Promise<OwnerLookup> {
  const { dossierId } = input;
  let found = await calls.registry.lookupOwner({ dossierId });
  while (found.owner !== 'found') {
    const unregistered = found.vehicle === 'unregistered';
    const why = caseNotes.ownerMissing(unregistered);
    await run.record({ step: findOwner.id, actor: 'system', outcome: unregistered ? 'unregistered-vehicle' : 'owner-unknown', note: why });
    await run.advance('finding-owner', findOwner.id);
    // The task's context is for the police officer: Vietnamese.
    const decision = await run.humanTask(findOwner, { unitCode: input.unitCode, context: { reason: why.vi } });
    if (decision.outcome === 'dismiss') throw new Dismissal(findOwner.id, `officer:${decision.completedBy}`, decision.data.reason);
    found = await calls.registry.lookupOwner({ dossierId, taskId: decision.taskId });
  }
  await run.record({
    step: findOwner.id,
    actor: 'system',
    outcome: 'owner-found',
    note: caseNotes.ownerFound(found.residenceUnitCode),
  });
  return found;
}

/**
 * Step 5 and 6: the owner's answers until the fine is paid (or a dispute dismissed). The first
 * deadline is 20 days after the notice; unanswered by then (or a promised payment not made by its
 * date), the vehicle is published and flagged, and the case waits for the payment.
 */
async function settle(run: Run, calls: Calls, owner: OwnerAnswers, input: TrafficFineInput, notice: NoticeRef): Promise<DossierOutcome> {
  const { dossierId, publicBaseUrl } = input;
  owner.balance = notice.fineAmount;
  let plan = await store.planDeadlines({ procedure: PROCEDURE, step: 'response', unitCode: input.unitCode, from: notice.issuedAt });
  let dueAt = plan.dueAt;
  let remindAt: string | undefined = plan.remindAt;
  const respondUrl = portalLink(publicBaseUrl, dossierId);
  await owner.openWait('awaiting-response', dueAt, ownerAsked.firstAnswer(owner.balance));
  await calls.mail.notifyOwner({
    dossierId,
    key: 'notice',
    ...ownerMails.notice({
      dossierId,
      violation: violationName(notice, input.request),
      capturedAt: input.request.capturedAt,
      fine: notice.fineAmount,
      noticeCode: notice.code,
      verifyUrl: verifyLink(publicBaseUrl, notice.code),
      dueAt,
      answerUrl: respondUrl,
    }),
  });

  for (;;) {
    let answer: TrafficAnswer | undefined;
    if (owner.published) answer = await owner.nextAnswer();
    else {
      if (remindAt !== undefined && !(await owner.arrivedBy(remindAt))) {
        await calls.mail.notifyOwner({ dossierId, key: `reminder-${owner.round}`, ...ownerMails.reminder(dossierId, dueAt, respondUrl) });
        await run.record({ step: 'respond', actor: 'system', outcome: 'reminder-sent', note: waitTexts.answerDueNote(dueAt) });
      }
      remindAt = undefined;
      answer = await owner.nextAnswer(dueAt);
    }

    if (!answer) {
      dueAt = await publish(run, calls, owner, input, dueAt);
      continue;
    }
    switch (answer.action) {
      case 'pay':
        return paid(run, calls, owner, input, notice, owner.receipt!);
      case 'accept': {
        owner.promisedBy = answer.payBy;
        dueAt = new WorkingCalendar([]).at(answer.payBy, PROMISE_END_OF_DAY).toISOString();
        await run.record({ step: 'respond', actor: 'citizen', outcome: 'accepted', note: caseNotes.accepted(answer.payBy) });
        await owner.openWait('awaiting-response', dueAt, ownerAsked.promised(owner.balance, answer.payBy));
        break;
      }
      case 'dispute': {
        owner.disputed = true;
        await run.record({ step: 'respond', actor: 'citizen', outcome: 'disputed', note: answer.reason });
        owner.closeWait();
        await run.advance('in-dispute', reviewDispute.id, { awaiting: null });
        const decision = await run.humanTask(reviewDispute, { unitCode: input.unitCode, context: { reason: answer.reason } });
        if (decision.outcome === 'dismiss') throw new Dismissal(reviewDispute.id, `officer:${decision.completedBy}`, decision.data.reason);
        // Upheld: the owner has 20 days again, from the decision.
        plan = await store.planDeadlines({ procedure: PROCEDURE, step: 'response', unitCode: input.unitCode, from: nowIso() });
        dueAt = plan.dueAt;
        remindAt = plan.remindAt;
        await owner.openWait('awaiting-response', dueAt, ownerAsked.pay(owner.balance));
        await calls.mail.notifyOwner({ dossierId, key: `dispute-upheld-${owner.round}`, ...ownerMails.disputeUpheld(dossierId, owner.balance, dueAt, respondUrl) });
        break;
      }
    }
  }
}

/** Unanswered by its deadline: on the public list and flagged, both in the history; the case waits for the payment. */
async function publish(run: Run, calls: Calls, owner: OwnerAnswers, input: TrafficFineInput, missed: string): Promise<string> {
  const { dossierId } = input;
  const { publishedAt } = await calls.records.publishAndFlag({ dossierId });
  owner.published = true;
  const why = caseNotes.unanswered(owner.promisedBy, missed);
  await run.record({ step: 'publish', actor: 'system', outcome: 'published', note: caseNotes.published(why) });
  await run.record({ step: 'publish', actor: 'system', outcome: 'flagged', note: caseNotes.flagged });
  const plan = await store.planDeadlines({ procedure: PROCEDURE, step: 'settlement', unitCode: input.unitCode, from: publishedAt });
  await owner.openWait('published', plan.dueAt, ownerAsked.pay(owner.balance));
  await calls.mail.notifyOwner({ dossierId, key: 'published', ...ownerMails.published(dossierId, why, owner.balance, portalLink(input.publicBaseUrl, dossierId)) });
  return plan.dueAt;
}

/** A settled case needs no one any more: a notice still to deliver is withdrawn from the ward's inbox. */
async function withdrawTasks(run: Run): Promise<void> {
  await store.cancelOpenTasks({ dossierId: run.dossierId, at: nowIso() });
  run.tasks.withdrawAll();
}

/** Off the public list and the flag lifted, each in the history when it had been set. */
async function lift(run: Run, calls: Calls, dossierId: string): Promise<void> {
  const lifted = await calls.records.settleCase({ dossierId });
  if (lifted.wasPublished) await run.record({ step: 'close', actor: 'system', outcome: 'unpublished', note: caseNotes.unpublished });
  if (lifted.wasFlagged) await run.record({ step: 'close', actor: 'system', outcome: 'flag-lifted', note: caseNotes.flagLifted(lifted.vehicleStillFlagged) });
}

async function paid(run: Run, calls: Calls, owner: OwnerAnswers, input: TrafficFineInput, notice: NoticeRef, receipt: PaymentReceipt): Promise<DossierOutcome> {
  const { dossierId } = input;
  await run.record({ step: 'respond', actor: 'citizen', outcome: 'paid', note: caseNotes.paid(receipt.amount, receipt.paymentId) });
  owner.closeWait();
  await withdrawTasks(run);
  await lift(run, calls, dossierId);
  await run.close(
    'paid',
    { step: 'close', actor: 'system', outcome: 'closed', note: caseNotes.closed },
    { result: { paid: true, amount: receipt.amount, paymentId: receipt.paymentId, paidAt: receipt.paidAt, balance: receipt.balance, noticeCode: notice.code }, awaiting: null },
  );
  await calls.mail.notifyOwner({ dossierId, key: 'result', ...ownerMails.paid(dossierId, receipt.amount) });
  return run.finish({ dossierId, status: 'paid', documentCode: notice.code });
}

async function dismiss(run: Run, calls: Calls, owner: OwnerAnswers, dismissal: Dismissal): Promise<DossierOutcome> {
  const { dossierId } = run;
  owner.closeWait();
  await withdrawTasks(run);
  await lift(run, calls, dossierId);
  run.decided = true;
  await run.close('dismissed', { step: dismissal.step, actor: dismissal.actor, outcome: 'dismissed', note: dismissal.reason }, {
    result: { dismissed: true, reason: dismissal.reason },
    decidedAt: nowIso(),
    awaiting: null,
  });
  if (owner.noticeSent) {
    await calls.mail.notifyOwner({ dossierId, key: 'result', ...ownerMails.dismissed(dossierId, dismissal.reason) });
  }
  return run.finish({ dossierId, status: 'dismissed', reason: dismissal.reason });
}

/**
 * The owner's answers to the notice, through the `respond` Update: checked by its validator (the
 * shape, a payment of exactly the balance, a promise within 30 days, one dispute, nothing but a
 * payment once published), a payment charged in the handler (so the answer confirms it), then handed
 * to the workflow one at a time.
 */
class OwnerAnswers {
  balance = 0;
  published = false;
  disputed = false;
  noticeSent = false;
  promisedBy?: string;
  round = 0;
  receipt?: PaymentReceipt;
  private open = false;
  private awaiting?: Awaiting;
  private answering?: TrafficAnswer;
  private pending?: TrafficAnswer;

  constructor(private readonly run: Run) {}

  installHandler(): void {
    setHandler(respondUpdate, (answer) => this.accept(answer), { validator: (answer) => this.validate(answer) });
    // The state the run reports, with what the owner is asked (the run's own view knows only the shared waits).
    const { run } = this;
    setHandler(dossierStateQuery, () => ({
      dossierId: run.dossierId,
      status: run.status,
      currentStep: run.currentStep,
      decided: run.decided,
      openTasks: run.tasks.openTaskViews(),
      awaiting: this.awaiting ?? null,
    }));
  }

  /** Waits for the owner from now: the dossier shows what is asked and by when (the owner's due date, not the office's). */
  async openWait(status: StatusOf<typeof trafficFine>, dueAt: string, asked: string): Promise<void> {
    this.open = true;
    this.round += 1;
    this.awaiting = { kind: 'respond', items: [{ field: 'action', problem: asked }], dueAt, round: this.round };
    await this.run.advance(status, 'respond', { dueAt, awaiting: this.awaiting });
  }

  closeWait(): void {
    this.open = false;
    this.awaiting = undefined;
  }

  /** True when an answer arrived (or is being charged) by `at`. */
  arrivedBy(at: string): Promise<boolean> {
    return doneBy(() => this.answering !== undefined || this.pending !== undefined, at);
  }

  /** The next answer, or undefined when `until` passes first. A payment that failed is no answer: wait on. */
  async nextAnswer(until?: string): Promise<TrafficAnswer | undefined> {
    for (;;) {
      if (until === undefined) await condition(() => this.answering !== undefined || this.pending !== undefined);
      else if (!(await this.arrivedBy(until))) return undefined;
      await condition(() => this.answering === undefined);
      const answer = this.pending;
      this.pending = undefined;
      if (answer) return answer;
    }
  }

  private check(data: Record<string, unknown>): TrafficAnswer | string {
    const parsed = TrafficAnswer.safeParse(data);
    if (!parsed.success) return describeIssues(parsed.error.issues);
    const answer = parsed.data;
    if (answer.action === 'pay') return answer.amount === this.balance ? answer : `The amount must be the whole balance of the fine: ${this.balance} VND`;
    if (this.published) return 'The notice went unanswered and the vehicle is published: only paying the fine settles the case now';
    if (answer.action === 'dispute' && this.disputed) return 'The case was disputed once and the violation upheld: pay the fine';
    if (answer.action === 'accept') {
      const today = localDateOf(workflowNow());
      const latest = addCalendarDays(today, MAX_PROMISE_DAYS);
      if (answer.payBy < today || answer.payBy > latest) return `payBy must be between ${today} and ${latest}`;
    }
    return answer;
  }

  private validate(answer: ApplicantAnswer): void {
    const { run } = this;
    if (run.closed) throw ApplicationFailure.nonRetryable(`Case ${run.dossierId} is already ${run.status}`, FailureTypes.dossierClosed);
    if (!this.open || this.answering || this.pending) {
      throw ApplicationFailure.nonRetryable(`Case ${run.dossierId} is not waiting for an answer from the owner (${run.status})`, FailureTypes.notAwaiting);
    }
    const checked = this.check(answer.data);
    if (typeof checked === 'string') throw ApplicationFailure.nonRetryable(checked, FailureTypes.invalidAnswer);
  }

  private async accept(answer: ApplicantAnswer): Promise<ApplicantAnswerResult> {
    const checked = this.check(answer.data);
    if (typeof checked === 'string') throw ApplicationFailure.nonRetryable(checked, FailureTypes.invalidAnswer);
    this.answering = checked;
    try {
      if (checked.action === 'pay') {
        this.receipt = await payments.payFine({ dossierId: this.run.dossierId, paymentKey: checked.paymentKey, amount: checked.amount });
      }
      this.pending = checked;
    } catch (error) {
      if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'AmountMismatch') {
        throw ApplicationFailure.create({ message: error.cause.message, type: FailureTypes.invalidAnswer, nonRetryable: true, cause: error });
      }
      throw error;
    } finally {
      this.answering = undefined;
    }
    return { dossierId: this.run.dossierId, status: this.run.status };
  }
}
