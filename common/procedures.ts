/**
 * Procedures, dossier statuses and task steps: the vocabulary shared by workflows, activities and
 * the API. Pure data (workflow code imports it).
 */
export const PROCEDURES = ['civil-status-extract', 'business-registration', 'traffic-fine'] as const;
export type Procedure = (typeof PROCEDURES)[number];

/** Procedures a citizen files through POST /dossiers (traffic fines are opened by /violations). */
export const FILEABLE_PROCEDURES = ['civil-status-extract', 'business-registration'] as const;

export const CIVIL_STATUS_KINDS = ['BIRTH', 'MARRIAGE', 'DEATH', 'PARENT_CHILD_RECOGNITION'] as const;
export type CivilStatusKind = (typeof CIVIL_STATUS_KINDS)[number];

/**
 * Dossier statuses. `issued`, `refused` and `cancelled` close the dossier; a dossier is *decided*
 * once a decision was taken (approved for issue, or refused), after which it can no longer be cancelled.
 */
export const DOSSIER_STATUSES = [
  'received',
  'verifying-applicant',
  'looking-up-record',
  'archive-search',
  'awaiting-signature',
  'issuing',
  'issued',
  'refused',
  'cancelled',
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];
export const CLOSED_STATUSES: readonly DossierStatus[] = ['issued', 'refused', 'cancelled'];

export const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Each human step and the outcomes a clerk may choose. */
export const TASK_STEPS = {
  'verify-and-sign': { outcomes: ['approve', 'refuse'], title: 'Verify and sign the extract' },
  'archive-search': { outcomes: ['found', 'not-found'], title: 'Search the paper archive' },
} as const satisfies Record<string, { outcomes: readonly string[]; title: string }>;
export type TaskStep = keyof typeof TASK_STEPS;
export type TaskOutcome<S extends TaskStep = TaskStep> = (typeof TASK_STEPS)[S]['outcomes'][number];

/** Who acted, as recorded in a dossier's history: a role and, for staff, their id (never a PIN). */
export type Actor = 'citizen' | 'system' | `clerk:${string}` | `officer:${string}` | `supervisor:${string}`;

/** A 12-digit personal identification number. */
export const PIN_LIKE = /^\d{12}$/;
