import { z } from 'zod';
import { PeopleText } from '../../common/bilingual-schemas';

/**
 * Payloads between the API and every dossier's workflow, one zod schema each: the API builds and
 * checks them with these schemas, the workflow's handlers receive the same types (z.infer), and the
 * workflow re-parses what it must trust. Pure: the workflow bundle imports this module.
 */

/** One line of a dossier's history, numbered by the workflow so a retried write is the same row. */
export interface DossierEventInput {
  seq: number;
  at: string;
  step: string;
  actor: string;
  outcome: string;
  /** Both languages when the engine wrote it (stored as `note`, Vietnamese, and `noteEn`); a person's words as they typed them. */
  note?: PeopleText;
  /** The unit the step happened at. */
  unitCode?: string;
}

/**
 * A mail to a dossier's citizen (`notifyApplicant`, the traffic fine's `notifyOwner`): its subject and
 * text in the applicant's language, or in both for the activity to pick the recipient's. Runs recorded
 * before texts had two languages send strings, which go out as they are.
 */
export const CitizenMail = z.object({ dossierId: z.string(), key: z.string(), subject: PeopleText, text: PeopleText });
export type CitizenMail = z.infer<typeof CitizenMail>;

/** What a workflow waits on from the applicant, as the dossier shows it and the API checks answers. */
export const Awaiting = z.object({
  kind: z.enum(['supplement', 'respond']),
  /** Filing fields the applicant may change (a supplement), each with what is wrong. */
  items: z.array(z.object({ field: z.string(), problem: z.string() })),
  dueAt: z.string(),
  round: z.number().int(),
});
export type Awaiting = z.infer<typeof Awaiting>;

/** What the workflow writes to the dossier's row: only the fields that changed. */
export interface DossierUpdate {
  dossierId: string;
  status?: string;
  currentStep?: string;
  dueAt?: string;
  decidedAt?: string;
  closedAt?: string;
  result?: Record<string, unknown>;
  escalationLevel?: number;
  /** Set when the workflow starts waiting for the applicant; `null` when the wait ends. */
  awaiting?: Awaiting | null;
  /** Filing fields the applicant changed (a supplement), merged into the stored filing. */
  filingChanges?: Record<string, unknown>;
  /** History lines the run held back (`DossierRun.hold`), written before `event` in the same transaction. */
  earlier?: DossierEventInput[];
  event?: DossierEventInput;
}

/** A clerk's or officer's decision on a task, as the API hands it to the workflow through an Update. */
export const TaskCompletion = z.object({
  taskId: z.string(),
  outcome: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  note: z.string().optional(),
  /** Staff id of who completed it. */
  completedBy: z.string(),
});
export type TaskCompletion = z.infer<typeof TaskCompletion>;

export const TaskCompletionResult = z.object({ taskId: z.string(), outcome: z.string(), dossierStatus: z.string() });
export type TaskCompletionResult = z.infer<typeof TaskCompletionResult>;

export const CancelRequest = z.object({
  reason: z.string().optional(),
  /** Staff id of the supervisor who cancels for the office; absent when the owner cancels. */
  by: z.string().optional(),
});
export type CancelRequest = z.infer<typeof CancelRequest>;

export const CancelResult = z.object({ dossierId: z.string(), status: z.string() });
export type CancelResult = z.infer<typeof CancelResult>;

/** The applicant's answer to a wait (`POST /dossiers/{id}/supplement`): the changed filing fields. */
export const ApplicantAnswer = z.object({ data: z.record(z.string(), z.unknown()), answeredBy: z.string() });
export type ApplicantAnswer = z.infer<typeof ApplicantAnswer>;

export const ApplicantAnswerResult = z.object({ dossierId: z.string(), status: z.string() });
export type ApplicantAnswerResult = z.infer<typeof ApplicantAnswerResult>;

/** A supervisor moves an open task to another unit and/or person (`POST /supervision/tasks/{id}/reassign`). */
export const TaskReassignment = z.object({
  taskId: z.string(),
  unitCode: z.string(),
  /** Who holds it now; null: the unit's inbox, unclaimed. */
  assignee: z.string().nullable(),
  /** Staff id of the supervisor. */
  by: z.string(),
  reason: z.string().optional(),
});
export type TaskReassignment = z.infer<typeof TaskReassignment>;
export const TaskReassignmentResult = z.object({ taskId: z.string(), unitCode: z.string(), previousUnitCode: z.string() });
export type TaskReassignmentResult = z.infer<typeof TaskReassignmentResult>;

/** A supervisor escalates a dossier by hand to the unit above (`POST /supervision/dossiers/{id}/escalate`). */
export const ManualEscalation = z.object({
  /** The unit handling the dossier now (its open task's, else the dossier's). */
  fromUnitCode: z.string(),
  /** The unit above it, whose supervisors (and mailbox) are mailed. */
  toUnitCode: z.string(),
  note: z.string(),
  by: z.string(),
});
export type ManualEscalation = z.infer<typeof ManualEscalation>;
export const EscalationResult = z.object({ dossierId: z.string(), toUnitCode: z.string(), mailed: z.number().int(), escalation: z.number().int() });
export type EscalationResult = z.infer<typeof EscalationResult>;

export interface OpenTaskView {
  taskId: string;
  step: string;
  unitCode: string;
  dueAt: string;
}

/** What the `state` query returns. */
export interface DossierState {
  dossierId: string;
  status: string;
  currentStep: string;
  decided: boolean;
  openTasks: OpenTaskView[];
  awaiting: Awaiting | null;
}

/**
 * How every dossier's workflow starts: the dossier's code, where and when it was filed, and the
 * facts of the filing that steer the workflow (the procedure's `facts`). No personal data: the
 * filing and its owner are in the dossier's row, which activities read.
 */
export interface DossierStart<Facts> {
  dossierId: string;
  unitCode: string;
  receivedAt: string;
  dueAt: string;
  request: Facts;
  /** Base URL of the public API, for links in mail. */
  publicBaseUrl: string;
  /** The language the applicant reads (from the filing request's Accept-Language); absent in runs filed before it was known. */
  language?: 'vi' | 'en';
}

export interface DossierOutcome {
  dossierId: string;
  status: string;
  documentCode?: string;
  enterpriseCode?: string;
  reason?: string;
}
