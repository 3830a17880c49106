import type { PeopleText } from '../../common/bilingual';
import type { LifecycleStatus, MachineryOutcome } from '../../procedures/define';
import type { Labelled } from './texts';
import type { DossierEventInput, DossierUpdate } from './types';

/** A line for the dossier's history; its outcome is one the procedure declares. */
export interface EventInput<O extends string = string> {
  step: string;
  actor: string;
  outcome: O;
  /** Both languages when the engine writes it; a person's words as they typed them. */
  note?: PeopleText;
  /** Where it happened, when not at the dossier's own unit (a task's unit). */
  unitCode?: string;
}

export type RowFields = Omit<DossierUpdate, 'dossierId' | 'event'>;

/**
 * What the shared machinery (human tasks, applicant waits, supervision's handlers) sees of a
 * dossier's run: no procedure, only the lifecycle. `DossierRun` is the one implementation.
 */
export interface RunContext {
  readonly dossierId: string;
  /** The procedure, with the names people read of its steps and fields. */
  readonly procedure: Labelled;
  readonly unitCode: string;
  readonly status: string;
  readonly currentStep: string;
  readonly closed: boolean;
  readonly cancelRequested: boolean;
  /** Set once an outcome that decides the dossier is accepted: the owner can no longer cancel. */
  decided: boolean;
  record(event: EventInput<MachineryOutcome>, fields?: RowFields): Promise<void>;
  /** A task's decision in the history: its outcome was checked against the step's outcomes. */
  recordDecision(event: EventInput): Promise<void>;
  advance(status: LifecycleStatus, step: string, fields?: Omit<RowFields, 'status' | 'currentStep'>, event?: EventInput<MachineryOutcome>): Promise<void>;
  /**
   * The lines the next write would carry, for an activity that writes the history in its own
   * transaction (a task opened in one call): those held, then `event` numbered now.
   */
  takeLines(event?: EventInput<MachineryOutcome>): DossierEventInput[];
  /** Ends the run here if the owner has cancelled. */
  checkpoint(): void;
  /** Thrown by the machinery when the owner cancelled while it waited. */
  cancellation(): Error;
  /** Mails the applicant in their language (both go to the notification activity when the run does not know it). */
  notifyApplicant(key: string, subject: PeopleText, text: PeopleText): Promise<void>;
}
