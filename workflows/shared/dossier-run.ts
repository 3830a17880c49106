import { ApplicationFailure, allHandlersFinished, condition, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { DEFAULT_LANGUAGE, textIn, type Language, type PeopleText } from '../../common/bilingual';
import { SearchAttributes } from '../../common/temporal';
import type { AnswerKind, Decision, OutcomeOf, ProcedureDefinition, StatusOf, StepDefinition } from '../../procedures/define';
import { notifications, store } from './activity-stubs';
import { ApplicantWaits } from './applicant-waits';
import { nowIso } from './clock';
import { Cancellation, Lapse, Refusal } from './dossier-end';
import { HumanTasks, type HumanTaskOptions } from './human-tasks';
import { cancelDossierUpdate, dossierStateQuery, FailureTypes } from './messages';
import type { EventInput, RowFields, RunContext } from './run-context';
import { installSupervisionHandlers } from './supervision';
import { endMails } from './texts';
import type { CancelRequest, CancelResult, DossierEventInput, DossierOutcome } from './types';

export type { EventInput } from './run-context';

/** What a run needs of its procedure's definition: the statuses and outcomes it may write are typed from it. */
export type RunProcedure = Pick<ProcedureDefinition, 'id' | 'answers' | 'statuses' | 'events' | 'steps' | 'deadlineKey' | 'labels'>;

export interface RunOptions {
  /** The applicant's answers the shared waits take (a procedure with a wait of its own passes none); the procedure's by default. */
  answers?: readonly AnswerKind[];
  /** The language the applicant reads (`DossierStart.language`); unknown, each mail goes out in both for the notification activity to pick. */
  language?: Language;
}

/**
 * The lifecycle of one dossier's workflow: its history, status, search attributes, cancellation by
 * the owner, refusal, lapse and closing. Human tasks and waits for the applicant are machinery of
 * their own (`tasks`, `waits`) that report to it. It knows no procedure beyond the definition's shape.
 *
 * Every write is an activity (see activity-stubs.ts): its order in the history is the order the
 * workflow's coroutines made it, so a replay makes the same commands whatever arrived when.
 */
export class DossierRun<P extends RunProcedure = RunProcedure> implements RunContext {
  status: string = 'received';
  currentStep = 'receive';
  decided = false;
  closed = false;
  cancelRequested = false;
  readonly tasks: HumanTasks;
  readonly waits: ApplicantWaits;
  private cancelReason?: string;
  /** The supervisor who cancelled for the office; undefined when the owner cancelled. */
  private cancelledBy?: string;
  private eventSeq = 0;
  /** History lines held back for the next write (`hold`). */
  private held: DossierEventInput[] = [];
  /** The applicant's mails, one after the other; the run ends only once every one is out (`finish`). */
  private mailing: Promise<unknown> = Promise.resolve();
  private readonly mailsOut: Promise<void>[] = [];
  private ending = false;
  private readonly answers: readonly AnswerKind[];
  readonly language?: Language;

  constructor(
    readonly dossierId: string,
    readonly procedure: P,
    readonly unitCode: string,
    options: RunOptions = {},
  ) {
    this.answers = options.answers ?? procedure.answers;
    this.language = options.language;
    this.tasks = new HumanTasks(this);
    this.waits = new ApplicantWaits(this);
  }

  /**
   * Runs the procedure's steps; a refusal, the owner's cancellation or a lapse thrown from any of
   * them closes the dossier accordingly.
   */
  async execute(steps: () => Promise<DossierOutcome>): Promise<DossierOutcome> {
    this.installHandlers();
    try {
      return await steps();
    } catch (error) {
      if (error instanceof Refusal) return this.finishRefused(error);
      if (error instanceof Cancellation) return this.finishCancelled();
      if (error instanceof Lapse) return this.finishLapsed(error);
      throw error;
    }
  }

  /**
   * The procedure's own activity stubs, wrapped so that a call that returns after the owner
   * cancelled ends the run there: no check needed after each step.
   */
  calls<T extends object>(stubs: T): T {
    return new Proxy(stubs, {
      get: (target, name, receiver) => {
        const fn: unknown = Reflect.get(target, name, receiver);
        if (typeof fn !== 'function') return fn;
        return async (...args: unknown[]) => {
          const result: unknown = await fn(...args);
          this.checkpoint();
          return result;
        };
      },
    });
  }

  /** Ends the run here if the owner has cancelled. */
  checkpoint(): void {
    if (this.cancelRequested && !this.ending) throw new Cancellation('cancelled by the owner');
  }

  /** Refuses the dossier with a reason the applicant is told (a person's words, or both languages): ends the run. */
  refuse(step: string, actor: string, reason: PeopleText): never {
    throw new Refusal(step, actor, reason);
  }

  /** A human step: see HumanTasks. Resolves with the decision; ends the run if the owner cancels. */
  humanTask<S extends StepDefinition>(step: S, options: HumanTaskOptions<S>): Promise<Decision<S>> {
    return this.tasks.perform(step, options);
  }

  private installHandlers(): void {
    setHandler(dossierStateQuery, () => ({
      dossierId: this.dossierId,
      status: this.status,
      currentStep: this.currentStep,
      decided: this.decided,
      openTasks: this.tasks.openTaskViews(),
      awaiting: this.waits.awaiting(),
    }));
    setHandler(cancelDossierUpdate, (request) => this.acceptCancel(request), {
      validator: (_request) => this.validateCancel(),
    });
    this.tasks.installHandlers();
    this.waits.installHandlers(this.answers);
    installSupervisionHandlers(this, this.tasks);
  }

  /**
   * Appends a history line and writes the changed fields to the dossier's row, in one write. The
   * run's first write is also its check that the row is there: the API writes it before it starts
   * the workflow, and `updateDossier` fails the run (DossierMissing) when it is not.
   */
  async record(event: EventInput<OutcomeOf<P>>, fields: RowFields = {}): Promise<void> {
    await this.write(event, fields);
  }

  recordDecision(event: EventInput): Promise<void> {
    return this.write(event, {});
  }

  private async write(event: EventInput, fields: RowFields): Promise<void> {
    const line = this.numbered(event);
    await store.updateDossier({ dossierId: this.dossierId, ...fields, ...this.takeHeld(), event: line });
  }

  /** A history line numbered next, at this instant, at the dossier's unit unless it names another. */
  private numbered(event: EventInput): DossierEventInput {
    this.eventSeq += 1;
    return { seq: this.eventSeq, at: nowIso(), unitCode: this.unitCode, ...event };
  }

  /**
   * A history line the next write carries (in its order, with the instant it happened): a step that
   * needs no write of its own (a check whose outcome only picks the next step) makes no call for it.
   */
  hold(event: EventInput<OutcomeOf<P>>): void {
    this.held.push(this.numbered(event));
  }

  /**
   * The lines the next write would carry, for an activity that writes the history in its own
   * transaction (a task opened in one call, `openPlannedTask`): those held, then `event` numbered now.
   */
  takeLines(event?: EventInput<OutcomeOf<P>>): DossierEventInput[] {
    const { earlier = [] } = this.takeHeld();
    return event ? [...earlier, this.numbered(event)] : earlier;
  }

  private takeHeld(): { earlier?: DossierEventInput[] } {
    if (this.held.length === 0) return {};
    const earlier = this.held;
    this.held = [];
    return { earlier };
  }

  /**
   * Moves to a new status and step: in the search attributes and the dossier's row at once, with a
   * history line in the same write when one is given.
   */
  async advance(status: StatusOf<P>, step: string, fields: Omit<RowFields, 'status' | 'currentStep'> = {}, event?: EventInput<OutcomeOf<P>>): Promise<void> {
    this.status = status;
    this.currentStep = step;
    upsertSearchAttributes([
      { key: SearchAttributes.dossierStatus, value: status },
      ...(fields.dueAt ? [{ key: SearchAttributes.dueAt, value: new Date(fields.dueAt) }] : []),
    ]);
    const update = { status, currentStep: step, ...fields };
    if (event) await this.write(event, update);
    else await store.updateDossier({ dossierId: this.dossierId, ...update, ...this.takeHeld() });
  }

  /**
   * Moves to a new status and step in the search attributes only: the caller's next write carries
   * them to the dossier's row (`status`, `currentStep` in its fields).
   */
  enter(status: StatusOf<P>, step: string, dueAt?: string): void {
    this.status = status;
    this.currentStep = step;
    upsertSearchAttributes([
      { key: SearchAttributes.dossierStatus, value: status },
      ...(dueAt ? [{ key: SearchAttributes.dueAt, value: new Date(dueAt) }] : []),
    ]);
  }

  /** The dossier's due instant in the search attributes, once a call that wrote it to the row has planned it. */
  moveDueAt(dueAt: string): void {
    upsertSearchAttributes([{ key: SearchAttributes.dueAt, value: new Date(dueAt) }]);
  }

  /**
   * Mails the applicant, in their language when the run knows it; else both languages go to the
   * notification activity, which picks the recipient's. The run may go on while a mail is out (the
   * receipt): each mail follows the one before it, and the run ends only once every mail is out (`finish`).
   */
  notifyApplicant(key: string, subject: PeopleText, text: PeopleText): Promise<void> {
    const mail = { dossierId: this.dossierId, key, subject: this.forApplicant(subject), text: this.forApplicant(text) };
    const sent = this.mailing.then(async () => {
      await notifications.notifyApplicant(mail);
    });
    // Handled here, so a mail nobody awaits cannot fail the workflow task; its caller or `finish` sees the failure.
    this.mailing = sent.catch(() => undefined);
    this.mailsOut.push(sent);
    return sent;
  }

  /** A text in the applicant's language when the run knows it; both languages otherwise. */
  forApplicant(text: PeopleText): PeopleText {
    return this.language ? textIn(text, this.language) : text;
  }

  /** A text as the dossier's row and the run's outcome keep it: the applicant's language, Vietnamese when unknown. */
  inRunLanguage(text: PeopleText): string {
    return textIn(text, this.language ?? DEFAULT_LANGUAGE);
  }

  private validateCancel(): void {
    if (this.closed || this.cancelRequested) {
      throw ApplicationFailure.nonRetryable(`Dossier ${this.dossierId} is already ${this.status}`, FailureTypes.dossierClosed);
    }
    if (this.decided) {
      throw ApplicationFailure.nonRetryable(`Dossier ${this.dossierId} has been decided and can no longer be cancelled`, FailureTypes.dossierDecided);
    }
    // A decision or an answer being recorded is allowed to land: cancelling under it would leave it
    // half-applied to a cancelled dossier. The citizen can try again a moment later.
    if (this.tasks.decisionInProgress() || this.waits.answerInProgress()) {
      throw ApplicationFailure.nonRetryable(`A decision on dossier ${this.dossierId} is being recorded; try again shortly`, FailureTypes.decisionInProgress);
    }
  }

  private async acceptCancel(request: CancelRequest): Promise<CancelResult> {
    this.cancelRequested = true;
    this.cancelReason = request.reason;
    this.cancelledBy = request.by;
    await condition(() => this.closed);
    return { dossierId: this.dossierId, status: this.status };
  }

  /** Closes the dossier on the owner's cancellation: every open task is withdrawn from the inboxes. */
  private async finishCancelled(): Promise<DossierOutcome> {
    this.ending = true;
    const at = nowIso();
    await store.cancelOpenTasks({ dossierId: this.dossierId, at });
    this.tasks.withdrawAll();
    // A supervisor's cancellation (supervision's bulk cancel) says who and why; the owner's reads as it always did.
    const by = this.cancelledBy;
    await this.close('cancelled', { step: 'cancel', actor: by ? `supervisor:${by}` : 'citizen', outcome: 'cancelled', note: this.cancelReason });
    const mail = endMails.cancelled(this.dossierId, by !== undefined, this.cancelReason);
    await this.notifyApplicant('cancelled', mail.subject, mail.text);
    return this.finish({ dossierId: this.dossierId, status: 'cancelled' });
  }

  /** Refuses the dossier with a reason the citizen is told (unless the owner cancelled it first). */
  private async finishRefused({ step, actor, reason }: Refusal): Promise<DossierOutcome> {
    if (this.cancelRequested && !this.decided) return this.finishCancelled();
    this.ending = true;
    this.decided = true;
    const told = this.inRunLanguage(reason);
    await this.close('refused', { step, actor, outcome: 'refused', note: reason }, { result: { refused: true, reason: told }, decidedAt: nowIso() });
    const mail = endMails.refused(this.dossierId, reason);
    await this.notifyApplicant('result', mail.subject, mail.text);
    return this.finish({ dossierId: this.dossierId, status: 'refused', reason: told });
  }

  /** The applicant did not answer in time: the dossier lapses, and they are told. */
  private async finishLapsed({ step, note }: Lapse): Promise<DossierOutcome> {
    this.ending = true;
    await store.cancelOpenTasks({ dossierId: this.dossierId, at: nowIso() });
    this.tasks.withdrawAll();
    const told = this.inRunLanguage(note);
    await this.close('lapsed', { step, actor: 'system', outcome: 'lapsed', note }, { result: { lapsed: true, reason: told }, awaiting: null });
    const mail = endMails.lapsed(this.dossierId, note);
    await this.notifyApplicant('lapsed', mail.subject, mail.text);
    return this.finish({ dossierId: this.dossierId, status: 'lapsed', reason: told });
  }

  async close(status: StatusOf<P>, event: EventInput<OutcomeOf<P>>, fields: RowFields = {}): Promise<void> {
    this.status = status;
    this.currentStep = 'closed';
    upsertSearchAttributes([{ key: SearchAttributes.dossierStatus, value: status }]);
    const waitEnds = this.waits.awaiting() ? { awaiting: null } : {};
    await this.write(event, { status, currentStep: 'closed', closedAt: nowIso(), ...waitEnds, ...fields });
    this.waits.end();
    this.closed = true;
  }

  /** Lets update handlers in flight answer before the workflow completes. */
  async finish(outcome: DossierOutcome): Promise<DossierOutcome> {
    // Every run closes with a write, which carries any line held back; this is the guard.
    const held = this.takeHeld();
    if (held.earlier) await store.updateDossier({ dossierId: this.dossierId, ...held });
    await Promise.all(this.mailsOut);
    await condition(allHandlersFinished);
    return outcome;
  }

  /** Thrown by the machinery when the owner cancelled while it waited. */
  cancellation(): Cancellation {
    return new Cancellation('cancelled by the owner');
  }
}
