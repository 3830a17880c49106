import { CIVIL_STATUS_KINDS, DOSSIER_STATUSES, PROCEDURES, TASK_STATUSES } from '../common/procedures';
import { PIN_PATTERN, UNIT_CODE_PATTERN } from './auth';
import { z } from './zod';

/** Schemas shared by several route groups. Every one is what the OpenAPI document publishes. */
export const Pin = z.string().regex(PIN_PATTERN, 'must be a 12-digit personal identification number');
export const UnitCode = z.string().regex(UNIT_CODE_PATTERN, 'must be a unit code such as W-BEN-THANH');
export const IsoDate = z.iso.date('must be a date YYYY-MM-DD');
export const DossierId = z.string().regex(/^[A-Z]{3}-\d{6}-[0-9A-Z]{6}$/, 'must be a dossier id such as CSE-261123-7K3M9Q');
export const TaskId = z.string().regex(/^[A-Z]{3}-\d{6}-[0-9A-Z]{6}-T\d+$/, 'must be a task id such as CSE-261123-7K3M9Q-T1');
export const Procedure = z.enum(PROCEDURES);
export const DossierStatus = z.enum(DOSSIER_STATUSES);
export const TaskStatus = z.enum(TASK_STATUSES);

export const CivilStatusExtractData = z
  .object({
    kind: z.enum(CIVIL_STATUS_KINDS),
    recordRef: z.string().trim().min(3).max(60).optional(),
    subjectPin: Pin.optional(),
    registrationUnitCode: UnitCode.optional(),
    bookNumber: z.string().trim().min(1).max(40).optional(),
    pageNumber: z.number().int().positive().optional(),
    contactEmail: z.email('must be an e-mail address').optional(),
    applicant: z.object({
      fullName: z.string().trim().min(2).max(120),
      dateOfBirth: IsoDate,
    }),
  })
  .strict()
  .openapi('CivilStatusExtractData', {
    description:
      'What record the extract is of. The applicant must be named in the record (the person it is about, a parent ' +
      'or a spouse). Give recordRef when known; otherwise subjectPin (whose record) and, for old paper records, ' +
      'registrationUnitCode with bookNumber/pageNumber.',
  });

export const HistoryEntry = z.object({ at: z.string(), step: z.string(), actor: z.string(), outcome: z.string(), note: z.string().nullable() });

export const DossierSummary = z
  .object({
    dossierId: z.string(),
    procedure: Procedure,
    status: DossierStatus,
    unitCode: z.string(),
    receivedAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    currentStep: z.string(),
  })
  .openapi('DossierSummary');

export const DossierDetail = DossierSummary.extend({
  history: z.array(HistoryEntry),
  result: z.record(z.string(), z.unknown()).nullable(),
  openTasks: z.array(z.object({ taskId: z.string(), step: z.string(), unitCode: z.string(), dueAt: z.string(), overdue: z.boolean() })),
}).openapi('Dossier');

export const TaskView = z
  .object({
    taskId: z.string(),
    dossierId: z.string(),
    procedure: Procedure,
    step: z.string(),
    unitCode: z.string(),
    status: TaskStatus,
    assignee: z.string().nullable(),
    createdAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    outcomes: z.array(z.string()),
  })
  .openapi('Task');
