import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { PeopleText } from '../../common/bilingual';
import { deadlineKeyOf, type AnswerKind, type LifecycleStatus } from '../../procedures/define';
import { store } from './activity-stubs';
import { doneBy, nowIso } from './clock';
import { Lapse } from './dossier-end';
import { FailureTypes, respondUpdate, supplementUpdate } from './messages';
import type { RunContext } from './run-context';
import { waitTexts } from './texts';
import type { ApplicantAnswer, ApplicantAnswerResult, Awaiting } from './types';

const UPDATES = { supplement: supplementUpdate, respond: respondUpdate } as const;
const STATUS: Record<AnswerKind, LifecycleStatus> = { supplement: 'awaiting-supplement', respond: 'awaiting-response' };

export interface WaitOptions {
  /** What is asked: for a supplement, the filing fields to change and what is wrong with each. */
  items: Awaiting['items'];
  /** The deadline setting of the wait (`<procedure>/<deadlineStep>`): the applicant's time to answer. */
  deadlineStep: string;
  /**
   * Checks an answer against what was asked and the procedure's rules: gives the changes to apply
   * (parsed, normalised), or a message that refuses the answer.
   */
  parse: (data: Record<string, unknown>) => Record<string, unknown> | string;
  /** The request and its mail's subject, in words for the applicant (both languages; waitTexts adds the deadline). */
  describe: { request: PeopleText; subject: PeopleText };
}

interface OpenWait extends Awaiting {
  remindAt: string;
  parse: WaitOptions['parse'];
  /** Accepted by the validator: a second answer is refused, and the lapse waits for it to land. */
  answering?: ApplicantAnswer;
  /** Recorded: the workflow moves on. */
  answer?: Record<string, unknown>;
}

/**
 * Waits for the applicant: the workflow asks (a supplement, later a response to a notice), the
 * applicant answers through the Update of that kind within a deadline, or the dossier lapses.
 * A reminder goes out before the deadline. The dossier's own due date is the applicant's while the
 * wait is open, so supervision does not count the office late for it.
 */
export class ApplicantWaits {
  private current?: OpenWait;
  private rounds = 0;

  constructor(private readonly run: RunContext) {}

  installHandlers(kinds: readonly AnswerKind[]): void {
    for (const kind of kinds) {
      setHandler(UPDATES[kind], (answer) => this.accept(answer), { validator: (answer) => this.validate(kind, answer) });
    }
  }

  awaiting(): Awaiting | null {
    if (!this.current) return null;
    const { kind, items, dueAt, round } = this.current;
    return { kind, items, dueAt, round };
  }

  /** The dossier closed (lapsed, cancelled, refused): nothing is awaited any more. */
  end(): void {
    this.current = undefined;
  }

  answerInProgress(): boolean {
    return this.current?.answering !== undefined;
  }

  /** Asks the applicant and resolves with their answer; the run lapses or ends on cancellation instead. */
  async waitFor(kind: AnswerKind, options: WaitOptions): Promise<Record<string, unknown>> {
    const { run } = this;
    run.checkpoint();
    this.rounds += 1;
    const plan = await store.planDeadlines({ procedure: deadlineKeyOf(run.procedure), step: options.deadlineStep, unitCode: run.unitCode, from: nowIso() });
    const wait: OpenWait = { kind, items: options.items, dueAt: plan.dueAt, round: this.rounds, remindAt: plan.remindAt, parse: options.parse };
    this.current = wait;
    const awaiting = this.awaiting();
    await run.advance(STATUS[kind], options.deadlineStep, { dueAt: plan.dueAt, awaiting }, {
      step: options.deadlineStep,
      actor: 'system',
      outcome: `${kind}-requested`,
      note: waitTexts.requestedNote(options.describe.request, plan.dueAt),
    });
    await run.notifyApplicant(`${kind}-${wait.round}`, options.describe.subject, waitTexts.requestMail(options.describe.request, plan.dueAt));

    const answeredOrCancelled = () => wait.answering !== undefined || run.cancelRequested;
    if (!(await doneBy(answeredOrCancelled, plan.remindAt))) {
      await run.notifyApplicant(
        `${kind}-${wait.round}/reminder`,
        waitTexts.reminderSubject(options.describe.subject),
        waitTexts.reminderMail(options.describe.request, plan.dueAt),
      );
      await run.record({ step: options.deadlineStep, actor: 'system', outcome: 'reminder-sent', note: waitTexts.answerDueNote(plan.dueAt) });
    }
    if (!(await doneBy(answeredOrCancelled, plan.dueAt))) {
      throw new Lapse(options.deadlineStep, waitTexts.lapseNote(kind, wait.round, plan.dueAt));
    }
    await condition(() => wait.answer !== undefined || run.cancelRequested);
    if (!wait.answer) throw run.cancellation();
    this.current = undefined;
    return wait.answer;
  }

  private validate(kind: AnswerKind, answer: ApplicantAnswer): void {
    const { run } = this;
    const wait = this.current;
    if (run.closed || run.cancelRequested) {
      throw ApplicationFailure.nonRetryable(`Dossier ${run.dossierId} is ${run.cancelRequested ? 'cancelled' : run.status}`, FailureTypes.dossierClosed);
    }
    if (!wait || wait.kind !== kind || wait.answering) {
      throw ApplicationFailure.nonRetryable(`Dossier ${run.dossierId} is not waiting for a ${kind}`, FailureTypes.notAwaiting);
    }
    const parsed = wait.parse(answer.data);
    if (typeof parsed === 'string') throw ApplicationFailure.nonRetryable(parsed, FailureTypes.invalidAnswer);
  }

  private async accept(answer: ApplicantAnswer): Promise<ApplicantAnswerResult> {
    const wait = this.current!;
    wait.answering = answer;
    const { run } = this;
    // Validators do not run on replay: parse again for the normalised changes.
    const parsed = wait.parse(answer.data);
    const changes = typeof parsed === 'string' ? answer.data : parsed;
    await run.record(
      { step: run.currentStep, actor: 'citizen', outcome: `${wait.kind}-received`, note: waitTexts.receivedNote(run.procedure, wait.round, Object.keys(changes)) },
      { awaiting: null, ...(wait.kind === 'supplement' ? { filingChanges: changes } : {}) },
    );
    wait.answer = changes;
    return { dossierId: run.dossierId, status: run.status };
  }
}
