import type { CivilStatusKind, DossierStatus, TaskStep } from '../../common/procedures';

/** One line of a dossier's history, numbered by the workflow so a retried write is the same row. */
export interface DossierEventInput {
  seq: number;
  at: string;
  step: string;
  actor: string;
  outcome: string;
  note?: string;
}

/** What the workflow writes to the dossier's row: only the fields that changed. */
export interface DossierUpdate {
  dossierId: string;
  status?: DossierStatus;
  currentStep?: string;
  dueAt?: string;
  decidedAt?: string;
  closedAt?: string;
  result?: Record<string, unknown>;
  escalationLevel?: number;
  event?: DossierEventInput;
}

/** A clerk's decision on a task, as the API hands it to the workflow through an Update. */
export interface TaskCompletion {
  taskId: string;
  outcome: string;
  data?: Record<string, unknown>;
  note?: string;
  /** Staff id of who completed it. */
  completedBy: string;
}

export interface TaskCompletionResult {
  taskId: string;
  outcome: string;
  dossierStatus: DossierStatus;
}

export interface CancelRequest {
  /** Why, in the citizen's words (optional). */
  reason?: string;
}

export interface CancelResult {
  dossierId: string;
  status: DossierStatus;
}

export interface OpenTaskView {
  taskId: string;
  step: TaskStep;
  unitCode: string;
  dueAt: string;
}

/** What the `state` query returns. */
export interface DossierState {
  dossierId: string;
  status: DossierStatus;
  currentStep: string;
  decided: boolean;
  openTasks: OpenTaskView[];
}

export interface CivilStatusExtractRequest {
  kind: CivilStatusKind;
  /** Registry reference of the record when the citizen knows it (printed on older extracts). */
  recordRef?: string;
  /** PIN of the person the record is about (the child, the deceased, a spouse…). */
  subjectPin?: string;
  /** Where the record was registered, when known: the unit that holds the book. */
  registrationUnitCode?: string;
  bookNumber?: string;
  pageNumber?: number;
  /** Where to send mail, when not the address the population data holds. */
  contactEmail?: string;
  applicant: { fullName: string; dateOfBirth: string };
}

export interface CivilStatusExtractInput {
  dossierId: string;
  unitCode: string;
  applicantPin: string;
  receivedAt: string;
  dueAt: string;
  request: CivilStatusExtractRequest;
  /** Base URL of the public API, for links in mail. */
  publicBaseUrl: string;
}

export interface DossierOutcome {
  dossierId: string;
  status: DossierStatus;
  documentCode?: string;
  reason?: string;
}
